// Pricing a packed message: each event settled on its own, a malformed event
// sent to the DLQ alone, partial decision-send failure retried without
// re-sending what was stored, and every decision valid against its schema.

import type { Message } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { test } from "node:test";
import { createHandler } from "../../src/pricing/handler.ts";
import { createPricingMetrics } from "../../src/pricing/metrics.ts";
import { validatePolicy } from "../../src/pricing/policy.ts";
import { SkuTracker } from "../../src/pricing/tracker.ts";
import type { ValidationError } from "../../src/shared/errors.ts";
import { batchBody, inventoryUpdatedEvent } from "../../src/shared/events.ts";
import { createLogger } from "../../src/shared/log.ts";
import { buildInventoryMessage } from "../helpers/legacy-message.ts";
import { Publisher } from "../../src/shared/publisher.ts";
import { validBatch } from "../helpers/event-schemas.ts";
import { allStored, StubSqs } from "../helpers/sqs-stub.ts";

const policy = validatePolicy({
  currency: "EUR",
  prices: { skus: { "ABC-1": 1000, "ABC-2": 2000, "ABC-3": 3000 } },
  bands: [{ name: "low", below: 10, adjustPercent: 20 }, { name: "normal", adjustPercent: 0 }],
});

/** A handler whose decision sends fail for the SKUs in `failing`; one decision per message so failures are per event. */
function setup(failing = new Set<string>()) {
  const sqs = new StubSqs({
    SendMessageBatch: (input) => {
      const bad = (e: { MessageBody: string }) => JSON.parse(e.MessageBody).some((ev: { subject: string }) => failing.has(ev.subject));
      return {
        Successful: input.Entries.filter((e: { MessageBody: string }) => !bad(e)).map((e: { Id: string }) => ({ Id: e.Id })),
        Failed: input.Entries.filter(bad).map((e: { Id: string }) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
      };
    },
  });
  const emitter = new Publisher({ sqs: sqs.port, lingerMs: 0, maxPending: 1000, maxInFlight: 4, maxAttempts: 1, callTimeoutMs: 1000, packing: { maxEventsPerMessage: 1, maxMessageBytes: 65_536, maxBatchBytes: 1_048_576 } });
  emitter.start("https://sqs.eu-west-1.amazonaws.com/123456789012/price-change-queue");
  const dead: Array<{ raw: unknown; error: ValidationError; index: number }> = [];
  let dlqDown = false;
  const metrics = createPricingMetrics();
  const handle = createHandler({
    policy: () => policy,
    tracker: new SkuTracker(1000),
    emitter,
    deadLetter: async (raw, error, _m, index) => {
      if (dlqDown) throw new Error("DLQ unreachable");
      dead.push({ raw, error, index });
    },
    fifo: false,
    metrics,
    log: createLogger({ level: "error", write: () => {} }),
  });
  const sent = () => sqs.callsOf("SendMessageBatch").flatMap((c) => c.input.Entries.flatMap((e: { MessageBody: string }) => validBatch(e.MessageBody)));
  return { handle, sent, dead, metrics, setDlqDown: (v: boolean) => (dlqDown = v) };
}

const event = (sku: string, quantity: number, version: number) => inventoryUpdatedEvent({ sku, quantity, version }, `u-${sku}-${version}`, "req", "2026-11-24T11:59:59.000Z");
const packed = (id: string, events: unknown[]): Message => ({ MessageId: id, ReceiptHandle: `r-${id}`, Body: batchBody(events.map((e) => JSON.stringify(e))), Attributes: { ApproximateReceiveCount: "1" } });

test("a malformed event inside a batch goes to the DLQ alone; its neighbours are priced and the message acknowledged", async () => {
  const { handle, sent, dead, metrics } = setup();
  const bad = { ...event("ABC-2", 5, 1), data: { sku: "ABC-2", quantity: -4, version: 1, requestId: "req" } };
  assert.equal(await handle(packed("m1", [event("ABC-1", 3, 1), bad, event("ABC-3", 50, 1)])), "ack");
  assert.deepEqual(sent().map((e) => [e.data.sku, e.data.price]), [["ABC-1", 1200], ["ABC-3", 3000]]);
  assert.equal(dead.length, 1);
  assert.deepEqual(dead[0].raw, bad);
  assert.equal(dead[0].index, 1);
  assert.equal(dead[0].error.code, "out_of_range");
  assert.equal(dead[0].error.field, "[1].data.quantity");
  assert.equal(metrics.poison.get(), 1);
});

test("when the DLQ cannot be reached the message is retried; once sent, a redelivery does not send it again", async () => {
  const { handle, dead, setDlqDown, sent } = setup();
  const m = packed("m2", [event("ABC-1", 3, 1), { specversion: "1.0", type: "something.else" }]);
  setDlqDown(true);
  assert.equal(await handle(m), "retry");
  setDlqDown(false);
  assert.equal(await handle(m), "ack");
  assert.equal(await handle(m), "ack");
  assert.equal(dead.length, 1, "sent to the DLQ once");
  assert.equal(sent().length, 1, "the good neighbour's decision was sent once");
});

test("some decisions not stored: the message is retried, and the redelivery sends only those", async () => {
  const failing = new Set(["ABC-2"]);
  const { handle, sent } = setup(failing);
  const m = packed("m3", [event("ABC-1", 3, 1), event("ABC-2", 3, 1), event("ABC-3", 3, 1)]);
  assert.equal(await handle(m), "retry");
  const first = sent().length;
  failing.clear();
  assert.equal(await handle(m), "ack");
  const again = sent().slice(first);
  assert.deepEqual(again.map((e) => e.data.sku), ["ABC-2"], "already-priced events are duplicates, not re-sent");
});

test("stale, duplicate and unknown-SKU events in one batch are settled, and the same SKU twice chains its previous price", async () => {
  const { handle, sent, metrics } = setup();
  const m = packed("m4", [event("ABC-1", 3, 2), event("ABC-1", 50, 3), event("ABC-1", 3, 1), event("ABC-1", 50, 3), event("NOPE-1", 1, 1)]);
  assert.equal(await handle(m), "ack");
  assert.deepEqual(sent().map((e) => [e.data.version, e.data.previousPrice, e.data.price]), [[2, null, 1200], [3, 1200, 1000]]);
  assert.equal(metrics.stale.get(), 1);
  assert.equal(metrics.duplicate.get(), 1);
  assert.equal(metrics.unknown.get(), 1);
});

test("the older one-update message and a single structured event are read too", async () => {
  const { handle, sent } = setup();
  const legacy: Message = { MessageId: "old", ReceiptHandle: "r", Body: JSON.stringify(buildInventoryMessage({ sku: "ABC-1", quantity: 3, version: 1 }, "u-old", "req", "2026-11-24T11:59:59.000Z")) };
  const single: Message = { MessageId: "one", ReceiptHandle: "r", Body: JSON.stringify(event("ABC-2", 3, 1)) };
  assert.equal(await handle(legacy), "ack");
  assert.equal(await handle(single), "ack");
  assert.deepEqual(sent().map((e) => [e.data.updateId, e.id]), [["u-old", "u-old.price"], ["u-ABC-2-1", "u-ABC-2-1.price"]]);
});

test("a body that is no batch and no known event is poison for the redrive, not sent to the DLQ by hand", async () => {
  const { handle, dead } = setup();
  for (const body of ["not json", "[]", '{"hello":1}', '"text"', JSON.stringify({ ...event("ABC-1", 1, 1), time: "yesterday" })]) {
    assert.equal(await handle({ MessageId: "g", ReceiptHandle: "r", Body: body }), "poison", body);
  }
  assert.equal(dead.length, 0);
});

test("unknown extension attributes on an event are tolerated", async () => {
  const { handle, sent } = setup();
  assert.equal(await handle(packed("m5", [{ ...event("ABC-1", 3, 1), traceparent: "00-abc-def-01", partitionkey: "x" }])), "ack");
  assert.equal(sent().length, 1);
});
