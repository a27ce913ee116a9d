// Inventory with packing on, over HTTP: a request is answered 202 only once
// every message holding one of its updates is stored; a message that fails
// fails the updates of every request it holds.

import assert from "node:assert/strict";
import { after, test } from "node:test";
import { request } from "undici";
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { startInventory, type RunningInventory } from "../../src/inventory/service.ts";
import { createLogger } from "../../src/shared/log.ts";
import { validBatch } from "../helpers/event-schemas.ts";
import { allStored, StubSqs } from "../helpers/sqs-stub.ts";

const TOKEN = "packed-token-0123456789abcdef";
const running: RunningInventory[] = [];
after(() => Promise.all(running.map((r) => r.stop())));

async function start(env: Record<string, string>, sqs: StubSqs) {
  const config = loadInventoryConfig({ AWS_REGION: "eu-west-1", AUTH_TOKENS: TOKEN, QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue", PORT: "0", HOST: "127.0.0.1", ...env });
  const service = await startInventory(config, { sqs: sqs.port, log: createLogger({ level: "error", write: () => {} }) });
  running.push(service);
  await service.whenReady;
  return (body: unknown) =>
    request(`http://127.0.0.1:${service.port}/v1/inventory`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
}

const updates = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ sku: `${tag}-${i}`, quantity: i }));
const skusIn = (body: string) => validBatch(body).map((e) => e.data.sku as string);

test("202 waits for the last message holding one of the request's updates", async () => {
  let calls = 0;
  const sqs = new StubSqs({
    SendMessageBatch: (input) => {
      // First call: the third message fails (retryable); the retry stores it.
      if (++calls === 1) return { Successful: [{ Id: "0" }, { Id: "1" }], Failed: [{ Id: "2", Code: "InternalError", SenderFault: false }] };
      return allStored(input);
    },
  });
  const post = await start({ MAX_UPDATES_PER_MESSAGE: "2", BATCH_LINGER_MS: "1", PUBLISH_ATTEMPTS: "3" }, sqs);
  const res = await post(updates(5, "A"));
  assert.equal(res.statusCode, 202);
  assert.equal(((await res.body.json()) as { accepted: number }).accepted, 5);
  const sent = sqs.callsOf("SendMessageBatch");
  assert.equal(sent.length, 2, "answered only after the retry stored the last message");
  assert.deepEqual(sent[1].input.Entries.flatMap((e: { MessageBody: string }) => skusIn(e.MessageBody)), ["A-4"]);
});

test("a message that cannot be stored fails every request with an update in it; the others are accepted", async () => {
  const sqs = new StubSqs({
    SendMessageBatch: (input) => {
      const bad = (e: { MessageBody: string }) => e.MessageBody.includes('"sku":"BAD-0"');
      return {
        Successful: input.Entries.filter((e: { MessageBody: string }) => !bad(e)).map((e: { Id: string }) => ({ Id: e.Id })),
        Failed: input.Entries.filter(bad).map((e: { Id: string }) => ({ Id: e.Id, Code: "InvalidMessageContents", SenderFault: true })),
      };
    },
  });
  const post = await start({ MAX_UPDATES_PER_MESSAGE: "4", BATCH_LINGER_MS: "30" }, sqs);
  // Three requests inside one linger: packed together, 4 updates per message.
  const [a, b, c] = await Promise.all([post(updates(3, "A")), post([{ sku: "BAD-0", quantity: 1 }]), post(updates(4, "C"))]);
  const sent = sqs.callsOf("SendMessageBatch").flatMap((call) => call.input.Entries.map((e: { MessageBody: string }) => skusIn(e.MessageBody)));
  const withBad = sent.find((skus: string[]) => skus.includes("BAD-0"))!;
  assert.ok(withBad.length > 1, `BAD-0 shares its message (${withBad.join(",")})`);
  const failedRequests = new Set(withBad.map((s: string) => s[0]));
  for (const [tag, res] of [["A", a], ["B", b], ["C", c]] as const) {
    const expected = tag === "B" || failedRequests.has(tag) ? 503 : 202;
    assert.equal(res.statusCode, expected, `request ${tag}`);
    if (res !== b) await res.body.dump();
  }
  const body = (await b.body.json()) as { error: { code: string; notAccepted: unknown[] } };
  assert.equal(body.error.code, "publish_failed");
});

test("at low load each lone request leaves on its own after the linger, never waiting for company", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const post = await start({ BATCH_LINGER_MS: "5" }, sqs);
  await (await post(updates(1, "W"))).body.dump(); // warm up
  for (let i = 0; i < 5; i++) {
    const res = await post(updates(1, `L${i}`));
    assert.equal(res.statusCode, 202);
    await res.body.dump(); // a 202 means stored: the next request finds the publisher empty
  }
  // Nothing waits for a fuller message: each lone request left in its own call.
  assert.equal(sqs.callsOf("SendMessageBatch").length, 6);
});
