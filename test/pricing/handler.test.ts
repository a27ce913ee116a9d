import type { Message } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { test } from "node:test";
import { createHandler } from "../../src/pricing/handler.ts";
import { createPricingMetrics } from "../../src/pricing/metrics.ts";
import { validatePolicy } from "../../src/pricing/policy.ts";
import { SkuTracker } from "../../src/pricing/tracker.ts";
import { createLogger } from "../../src/shared/log.ts";
import { buildInventoryMessage } from "../helpers/legacy-message.ts";
import { Publisher } from "../../src/shared/publisher.ts";
import { allStored, StubSqs } from "../helpers/sqs-stub.ts";

const policy = validatePolicy({
  currency: "EUR",
  prices: { skus: { "ABC-1": 1000 } },
  bands: [{ name: "low", below: 10, adjustPercent: 20 }, { name: "normal", adjustPercent: 0 }],
});

function setup(sendOk: () => boolean = () => true) {
  const sqs = new StubSqs({
    SendMessageBatch: (input) =>
      sendOk() ? allStored(input) : { Successful: [], Failed: input.Entries.map((e: { Id: string }) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })) },
  });
  const emitter = new Publisher({ sqs: sqs.port, lingerMs: 0, maxPending: 100, maxInFlight: 4, maxAttempts: 1, callTimeoutMs: 1000 });
  emitter.start("https://sqs.eu-west-1.amazonaws.com/123456789012/price-change-queue");
  const lines: Array<Record<string, unknown>> = [];
  const metrics = createPricingMetrics();
  const handle = createHandler({
    policy: () => policy,
    tracker: new SkuTracker(1000),
    emitter,
    deadLetter: async () => {},
    fifo: false,
    metrics,
    log: createLogger({ level: "debug", write: (l) => void lines.push(JSON.parse(l)) }),
    now: () => Date.parse("2026-11-24T12:00:00Z"),
  });
  // Each message body is a CloudEvents batch; the decision fields are each event's data.
  const sent = () =>
    sqs.callsOf("SendMessageBatch").flatMap((c) => c.input.Entries.flatMap((e: { MessageBody: string }) => JSON.parse(e.MessageBody).map((ev: { type: string; data: object }) => ({ type: ev.type, ...ev.data }))));
  return { handle, lines, metrics, sent };
}

let n = 0;
const message = (sku: string, quantity: number, version: number): Message => ({
  MessageId: `m${++n}`,
  ReceiptHandle: `r${n}`,
  Body: JSON.stringify(buildInventoryMessage({ sku, quantity, version }, `u${n}`, "req", "2026-11-24T11:59:59.000Z")),
  Attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.parse("2026-11-24T11:59:59Z")) },
});

test("a decision is sent as price.decided, then logged price.changed, and acknowledged", async () => {
  const { handle, lines, sent, metrics } = setup();
  assert.equal(await handle(message("ABC-1", 3, 5)), "ack");
  const [d] = sent();
  assert.deepEqual(
    { type: d.type, sku: d.sku, version: d.version, quantity: d.quantity, price: d.price, previousPrice: d.previousPrice, currency: d.currency, rule: d.rule },
    { type: "io.stockprice.price.decided.v1", sku: "ABC-1", version: 5, quantity: 3, price: 1200, previousPrice: null, currency: "EUR", rule: "band:low" },
  );
  const log = lines.find((l) => l.msg === "price.changed")!;
  assert.equal(log.price, 1200);
  assert.equal(log.rule, "band:low");
  assert.equal(metrics.age.count(), 1);
});

test("newer versions carry the previous price; an equal price logs price.unchanged", async () => {
  const { handle, lines, sent } = setup();
  await handle(message("ABC-1", 3, 1));
  await handle(message("ABC-1", 50, 2));
  await handle(message("ABC-1", 60, 3));
  assert.deepEqual(sent().map((d) => [d.version, d.previousPrice, d.price]), [[1, null, 1200], [2, 1200, 1000], [3, 1000, 1000]]);
  assert.deepEqual(lines.filter((l) => String(l.msg).startsWith("price.")).map((l) => l.msg), ["price.changed", "price.changed", "price.unchanged"]);
});

test("an older version is skipped as stale and acknowledged; a redelivered version is not sent twice", async () => {
  const { handle, lines, sent, metrics } = setup();
  await handle(message("ABC-1", 3, 10));
  assert.equal(await handle(message("ABC-1", 1, 9)), "ack");
  assert.equal(await handle(message("ABC-1", 3, 10)), "ack");
  assert.equal(sent().length, 1);
  assert.equal(metrics.stale.get(), 1);
  assert.equal(metrics.duplicate.get(), 1);
  assert.ok(lines.some((l) => l.msg === "price.stale" && l.version === 9 && l.newest === 10));
});

test("an unknown SKU is acknowledged and logged, not retried", async () => {
  const { handle, lines, sent } = setup();
  assert.equal(await handle(message("NOPE-1", 3, 1)), "ack");
  assert.equal(sent().length, 0);
  assert.ok(lines.some((l) => l.msg === "price.unknown_sku" && l.sku === "NOPE-1"));
});

test("a poison message is reported with its id, never its body", async () => {
  const { handle, lines } = setup();
  const secretish = "{ not json but maybe customer data";
  assert.equal(await handle({ MessageId: "poison-1", ReceiptHandle: "p", Body: secretish, Attributes: { ApproximateReceiveCount: "2" } }), "poison");
  const line = lines.find((l) => l.msg === "message.poison")!;
  assert.equal(line.messageId, "poison-1");
  assert.equal(line.code, "invalid_json");
  assert.ok(!JSON.stringify(lines).includes("customer data"));
});

test("a failed downstream send returns the message for a retry; the redelivery sends it", async () => {
  let ok = false;
  const { handle, sent } = setup(() => ok);
  const m = message("ABC-1", 3, 7);
  assert.equal(await handle(m), "retry");
  ok = true;
  assert.equal(await handle(m), "ack");
  const decided = sent();
  assert.equal(decided.length, 2, "one failed attempt, one stored");
  assert.equal(decided[1].previousPrice, null, "the failed attempt did not count as a price");
});
