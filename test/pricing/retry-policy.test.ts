// One retry policy: the SDK makes one attempt per call and the publisher owns
// the retries, asking isTransient first; pricing's emitter takes its attempts
// from the environment (EMIT_ATTEMPTS), like inventory's PUBLISH_ATTEMPTS.

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { loadPricingConfig } from "../../src/pricing/config.ts";
import { startPricing } from "../../src/pricing/service.ts";
import { batchBody, inventoryUpdatedEvent } from "../../src/shared/events.ts";
import { createLogger } from "../../src/shared/log.ts";
import { Publisher } from "../../src/shared/publisher.ts";
import { createSqsClient } from "../../src/shared/sqs.ts";
import { StubSqs, sqsError } from "../helpers/sqs-stub.ts";

const POLICY = fileURLToPath(new URL("../../examples/policy.yaml", import.meta.url));
const quiet = createLogger({ level: "error", write: () => {} });
const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue";

test("the SQS client makes one attempt per call unless told otherwise", async () => {
  const client = createSqsClient({ region: "eu-west-1" });
  assert.equal(await client.config.maxAttempts(), 1);
  client.destroy();
});

test("publisher: a call SQS refuses is not sent again; a transient failure is, up to maxAttempts", async () => {
  for (const [error, calls, code] of [
    [sqsError("AccessDenied", 403), 1, "publish_rejected"],
    [sqsError("InternalError", 500), 3, "publish_failed"],
  ] as const) {
    const sqs = new StubSqs({ SendMessageBatch: () => Promise.reject(error) });
    const p = new Publisher({ sqs: sqs.port, lingerMs: 0, maxPending: 10, maxInFlight: 1, maxAttempts: 3, callTimeoutMs: 1000, backoffBaseMs: 1, backoffCapMs: 2 });
    p.start(QUEUE);
    const [result] = await p.submit([{ body: "{}" }]);
    assert.equal(!result.ok && result.code, code, error.name);
    assert.equal(sqs.callsOf("SendMessageBatch").length, calls, error.name);
  }
});

test("pricing: EMIT_ATTEMPTS from the environment bounds the price sends per decision, then the message is retried", async () => {
  const event = inventoryUpdatedEvent({ sku: "ABC-1", quantity: 3, version: 1 }, "e1", "r1", new Date().toISOString());
  let handed = false;
  let backedOff: () => void = () => {};
  const retried = new Promise<void>((r) => (backedOff = r));
  const sqs = new StubSqs({
    GetQueueUrl: (input: { QueueName: string }) => ({ QueueUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/${input.QueueName}` }),
    ReceiveMessage: () => {
      if (handed) return new Promise(() => {});
      handed = true;
      return { Messages: [{ MessageId: "m1", ReceiptHandle: "h1", Body: batchBody([JSON.stringify(event)]), Attributes: { ApproximateReceiveCount: "1" } }] };
    },
    SendMessageBatch: () => Promise.reject(sqsError("InternalError", 500)),
    ChangeMessageVisibility: () => (backedOff(), {}),
    ChangeMessageVisibilityBatch: () => ({ Successful: [], Failed: [] }),
  });
  const config = loadPricingConfig({
    AWS_REGION: "eu-west-1", POLICY_FILE: POLICY, PORT: "0", HOST: "127.0.0.1", POLICY_RELOAD_MS: "0",
    QUEUE_NAME: "inventory-update-queue", PRICE_QUEUE_NAME: "price-decision-queue", EMIT_ATTEMPTS: "2", EMIT_LINGER_MS: "0", RECEIVE_WAIT_S: "1",
  });
  const service = await startPricing(config, { sqs: sqs.port, log: quiet });
  try {
    await retried;
    assert.equal(sqs.callsOf("SendMessageBatch").length, 2);
  } finally {
    await service.stop();
  }
  assert.throws(() => loadPricingConfig({ AWS_REGION: "eu-west-1", EMIT_ATTEMPTS: "0" }), /EMIT_ATTEMPTS: must be an integer 1-10/);
});
