// The real SDK against the embedded SQS emulator: what a 202 acknowledges is
// in the queue, byte for byte what the service meant to store.

import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { startInventory } from "../../src/inventory/service.ts";
import { createLogger } from "../../src/shared/log.ts";
import { readInventoryBody } from "../../src/shared/events.ts";
import { createQueues, EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulator, type Emulator } from "../../scripts/emulator.ts";
import { startChild } from "../../scripts/lib/process.ts";

const TOKEN = "integration-token-0123456789";
let emulator: Emulator;
let sqs: SQSClient;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  sqs = new SQSClient({
    region: EMULATOR_REGION,
    endpoint: emulator.endpoint,
    useQueueUrlAsEndpoint: false,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
after(async () => {
  sqs?.destroy();
  await emulator?.stop();
});

async function receiveAll(queueUrl: string, expected: number) {
  const out = [];
  for (let i = 0; i < 100 && out.length < expected; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ["MessageGroupId"] }));
    const got = r.Messages ?? [];
    out.push(...got);
    // Deleting releases a FIFO message group for its next message.
    if (got.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  return out;
}

test("the bundle accepts a POST against the emulator and the update is in the queue", { timeout: 30_000 }, async (t) => {
  const bundle = "dist/inventory.mjs";
  if (!existsSync(bundle)) return t.skip("dist/inventory.mjs not built (npm test builds it first)");
  const queues = createQueues(emulator);
  const child = startChild([bundle], {
    ...EMULATOR_CREDENTIALS,
    AWS_REGION: EMULATOR_REGION,
    AWS_ENDPOINT_URL_SQS: emulator.endpoint,
    AUTH_TOKENS: TOKEN,
    PORT: "0",
    HOST: "127.0.0.1",
  });
  const listening = JSON.parse(await child.waitFor(/inventory\.listening/));
  await child.waitFor(/inventory\.ready/);
  const res = await fetch(`http://127.0.0.1:${listening.port}/v1/inventory`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify([{ sku: "INT-1", quantity: 5, version: 3, occurredAt: "2026-11-24T10:00:00Z" }, { sku: "INT-2", quantity: 0, version: 4 }]),
  });
  assert.equal(res.status, 202);
  const { ids } = (await res.json()) as any;
  const messages = await receiveAll(queues.inventoryUrl, 1);
  assert.equal(messages.length, 1, "both updates packed into one message");
  const parsed = messages.flatMap((m) => updatesIn(m.Body ?? "")).sort((a, b) => a.sku.localeCompare(b.sku));
  assert.deepEqual(parsed.map((m) => m.id).sort(), [...ids].sort());
  assert.deepEqual(
    parsed.map(({ sku, quantity, version, occurredAt }) => ({ sku, quantity, version, occurredAt })),
    [
      { sku: "INT-1", quantity: 5, version: 3, occurredAt: "2026-11-24T10:00:00Z" },
      { sku: "INT-2", quantity: 0, version: 4, occurredAt: undefined },
    ],
  );
  const { code } = await child.stop("SIGTERM");
  assert.equal(code, 0, "SIGTERM exits 0");
  assert.ok(child.lines.some((l) => /shutdown\.done/.test(l)));
});

test("in process, against a FIFO queue: SKU is the message group, a burst from many requests arrives whole", { timeout: 30_000 }, async () => {
  const queues = createQueues(emulator, { fifo: true });
  Object.assign(process.env, EMULATOR_CREDENTIALS);
  const config = loadInventoryConfig({
    AWS_REGION: EMULATOR_REGION,
    AWS_ENDPOINT_URL_SQS: emulator.endpoint,
    AUTH_TOKENS: TOKEN,
    QUEUE_NAME: "inventory-update-queue.fifo",
    PORT: "0",
    HOST: "127.0.0.1",
  });
  const service = await startInventory(config, { log: createLogger({ level: "error", write: () => {} }) });
  try {
    await service.whenReady;
    const requests = Array.from({ length: 12 }, (_, r) =>
      fetch(`http://127.0.0.1:${service.port}/v1/inventory`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ sku: `FIFO-${i}`, quantity: r, version: r + 1 }))),
      }),
    );
    const answers = await Promise.all(requests);
    assert.deepEqual(answers.map((a) => a.status), Array(12).fill(202));
    const messages = await receiveAll(queues.inventoryUrl, 60);
    assert.equal(messages.length, 60);
    const perGroup = new Map<string, number>();
    for (const m of messages) {
      const updates = updatesIn(m.Body ?? "");
      assert.equal(updates.length, 1, "FIFO messages are never packed");
      const body = updates[0];
      assert.equal(m.Attributes?.MessageGroupId, body.sku);
      perGroup.set(body.sku, (perGroup.get(body.sku) ?? 0) + 1);
    }
    assert.deepEqual([...perGroup.values()], Array(5).fill(12));
  } finally {
    await service.stop();
  }
});

/** The updates one message body holds (a CloudEvents batch), in the shape pricing reads. */
function updatesIn(body: string) {
  return readInventoryBody(body).items.map((i) => {
    if (!i.ok) throw i.error;
    return i.update;
  });
}
