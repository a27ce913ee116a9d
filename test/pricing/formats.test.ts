// Against the SQS emulator with the real SDK: a rolling upgrade leaves old
// one-update messages and packed batches in one queue, and pricing prices
// both; a poison event inside a batch reaches the DLQ alone with attributes
// saying why; a garbage body still reaches it by redrive; FIFO keeps order
// from inventory's 202 to the decisions. Every event produced validates
// against its JSON Schema.

import { ReceiveMessageCommand, DeleteMessageBatchCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { request } from "undici";
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { startInventory } from "../../src/inventory/service.ts";
import { loadPricingConfig } from "../../src/pricing/config.ts";
import { startPricing } from "../../src/pricing/service.ts";
import { BATCH_ATTRIBUTES, batchBody, inventoryUpdatedEvent } from "../../src/shared/events.ts";
import { createLogger } from "../../src/shared/log.ts";
import { buildInventoryMessage } from "../helpers/legacy-message.ts";
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, type Emulator, type QueueSetup } from "../../scripts/emulator.ts";
import { validBatch } from "../helpers/event-schemas.ts";
import { withStack } from "../helpers/emulator-stack.ts";

const ROOT = join(import.meta.dirname, "..", "..");
Object.assign(process.env, EMULATOR_CREDENTIALS);
const quiet = () => createLogger({ level: "error", write: () => {} });
const TOKEN = "formats-token-0123456789abcdef";

async function pricing(e: Emulator, q: QueueSetup, extra: Record<string, string> = {}) {
  const config = loadPricingConfig({ AWS_REGION: EMULATOR_REGION, AWS_ENDPOINT_URL_SQS: e.endpoint, QUEUE_URL: q.inventoryUrl, PRICE_QUEUE_URL: q.priceUrl, POLICY_FILE: join(ROOT, "examples", "policy.yaml"), PORT: "0", HOST: "127.0.0.1", ...extra });
  const service = await startPricing(config, { log: quiet(), waitTimeS: 1, retryBaseS: 0 });
  await service.whenReady;
  return service;
}

/** Receives and deletes until `expected` messages arrived or the deadline passed. */
async function receive(sqs: SQSClient, queueUrl: string, expected: number, timeoutMs = 20_000): Promise<Message[]> {
  const out: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < expected && Date.now() < deadline) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ["All"] }));
    const ms = r.Messages ?? [];
    if (ms.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: ms.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
    out.push(...ms);
  }
  return out;
}

/** Decisions as events, each checked against the schema, until `expected` arrived. */
async function decisions(sqs: SQSClient, q: QueueSetup, expected: number) {
  const out = [];
  const deadline = Date.now() + 20_000;
  while (out.length < expected && Date.now() < deadline) {
    for (const m of await receive(sqs, q.priceUrl, 1, 2000)) {
      assert.equal(m.MessageAttributes?.["content-type"]?.StringValue, "application/cloudevents-batch+json");
      out.push(...validBatch(m.Body ?? ""));
    }
  }
  return out;
}

const now = () => new Date().toISOString();

test("rolling upgrade: old one-update messages and packed batches in one queue are all priced", { timeout: 60_000 }, () =>
  withStack({}, async (e, q, sqs) => {
    const old = Array.from({ length: 6 }, (_, i) => JSON.stringify(buildInventoryMessage({ sku: `ABC-${i}`, quantity: 3, version: 1 }, `old-${i}`, "r", now())));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: q.inventoryUrl, Entries: old.map((b, i) => ({ Id: String(i), MessageBody: b })) }));
    for (let m = 0; m < 3; m++) {
      const events = Array.from({ length: 20 }, (_, i) => JSON.stringify(inventoryUpdatedEvent({ sku: `TSHIRT-${m}-${i}`, quantity: 50, version: 1 }, `new-${m}-${i}`, "r", now())));
      await sqs.send(new SendMessageCommand({ QueueUrl: q.inventoryUrl, MessageBody: batchBody(events), MessageAttributes: BATCH_ATTRIBUTES }));
    }
    const service = await pricing(e, q);
    try {
      const got = await decisions(sqs, q, 66);
      const ids = got.map((d) => d.data.updateId).sort();
      assert.equal(ids.length, 66);
      assert.equal(ids.filter((id) => id.startsWith("old-")).length, 6);
      assert.equal(ids.filter((id) => id.startsWith("new-")).length, 60);
      assert.equal((await receive(sqs, q.dlqUrl, 1, 1500)).length, 0, "nothing in the DLQ");
    } finally {
      await service.stop();
    }
  }));

test("a poison event inside a batch reaches the DLQ alone, with attributes saying why; its neighbours are priced", { timeout: 60_000 }, () =>
  withStack({}, async (e, q, sqs) => {
    const good = (i: number) => JSON.stringify(inventoryUpdatedEvent({ sku: `ABC-${i}`, quantity: 100, version: 1 }, `g-${i}`, "r", now()));
    const poison = JSON.stringify({ ...inventoryUpdatedEvent({ sku: "ABC-9", quantity: 1, version: 1 }, "bad-1", "r", now()), data: { sku: "ABC-9", quantity: "many", version: 1, requestId: "r" } });
    const sentId = (await sqs.send(new SendMessageCommand({ QueueUrl: q.inventoryUrl, MessageBody: batchBody([good(1), poison, good(2)]), MessageAttributes: BATCH_ATTRIBUTES }))).MessageId;
    const service = await pricing(e, q);
    try {
      const got = await decisions(sqs, q, 2);
      assert.deepEqual(got.map((d) => d.data.sku).sort(), ["ABC-1", "ABC-2"]);
      const dlq = await receive(sqs, q.dlqUrl, 1);
      assert.equal(dlq.length, 1);
      assert.deepEqual(JSON.parse(dlq[0].Body ?? ""), JSON.parse(poison), "the event alone, as it was");
      const a = dlq[0].MessageAttributes ?? {};
      assert.equal(a["error-code"]?.StringValue, "invalid_type");
      assert.equal(a["error-field"]?.StringValue, "[1].data.quantity");
      assert.equal(a["source-message-id"]?.StringValue, sentId);
      assert.equal(a["source-index"]?.StringValue, "1");
      assert.equal((await receive(sqs, q.inventoryUrl, 1, 1500)).length, 0, "the packed message was deleted");
    } finally {
      await service.stop();
    }
  }));

test("a body that is not a batch or a known event still reaches the DLQ through redrive", { timeout: 60_000 }, () =>
  withStack({ maxReceiveCount: 2 }, async (e, q, sqs) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: q.inventoryUrl, MessageBody: "<order>not json</order>" }));
    const service = await pricing(e, q);
    try {
      const dlq = await receive(sqs, q.dlqUrl, 1);
      assert.equal(dlq.length, 1);
      assert.equal(dlq[0].Body, "<order>not json</order>");
      assert.equal(dlq[0].MessageAttributes?.["error-code"], undefined, "moved by redrive, not sent by pricing");
    } finally {
      await service.stop();
    }
  }));

test("FIFO: one SKU's updates, through inventory and pricing, are priced in the order inventory accepted them", { timeout: 60_000 }, () =>
  withStack({ fifo: true }, async (e, q, sqs) => {
    const inventory = await startInventory(
      loadInventoryConfig({ AWS_REGION: EMULATOR_REGION, AWS_ENDPOINT_URL_SQS: e.endpoint, QUEUE_URL: q.inventoryUrl, AUTH_TOKENS: TOKEN, PORT: "0", HOST: "127.0.0.1" }),
      { log: quiet() },
    );
    const service = await pricing(e, q);
    try {
      await inventory.whenReady;
      const post = (body: unknown) =>
        request(`http://127.0.0.1:${inventory.port}/v1/inventory`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      // Each request waits for its 202 before the next: that is the order the sender relies on.
      for (let r = 0; r < 4; r++) {
        const res = await post(Array.from({ length: 5 }, (_, i) => ({ sku: "ABC-1", quantity: (r * 5 + i) * 7 % 700, version: r * 5 + i + 1 })));
        assert.equal(res.statusCode, 202);
        await res.body.dump();
      }
      const got = await decisions(sqs, q, 20);
      assert.deepEqual(got.map((d) => d.data.version), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.deepEqual(got.map((d) => d.data.previousPrice).slice(1), got.map((d) => d.data.price).slice(0, -1));
    } finally {
      await service.stop();
      await inventory.stop();
    }
  }));
