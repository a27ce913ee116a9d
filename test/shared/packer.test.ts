// Packing: events into messages (bytes and count), messages into batches
// (10 per call, within the batch payload limit), when a call leaves, and what
// a failed message means for the updates it holds.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BATCH_ATTRIBUTES } from "../../src/shared/events.ts";
import { MAX_BATCH_ENTRIES, messageBytes } from "../../src/shared/limits.ts";
import type { PackingOptions } from "../../src/shared/packer.ts";
import { Publisher, type PublisherOptions } from "../../src/shared/publisher.ts";
import { allStored, StubSqs } from "../helpers/sqs-stub.ts";

const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue";

function publisher(sqs: StubSqs, packing: Partial<PackingOptions>, o: Partial<PublisherOptions> = {}): Publisher {
  const p = new Publisher({
    sqs: sqs.port,
    lingerMs: 5,
    maxPending: 100_000,
    maxInFlight: 8,
    maxAttempts: 3,
    callTimeoutMs: 1000,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    packing: { maxMessageBytes: 65_536, maxEventsPerMessage: 1000, maxBatchBytes: 1_048_576, ...packing },
    ...o,
  });
  p.start(URL);
  return p;
}

/** n events of exactly `size` bytes each, as JSON strings. */
const events = (n: number, size = 100, tag = "e") => Array.from({ length: n }, (_, i) => ({ body: JSON.stringify(`${tag}${i}:`.padEnd(size - 2, "x")) }));
const calls = (sqs: StubSqs) => sqs.callsOf("SendMessageBatch").map((c) => c.input.Entries as Array<{ MessageBody: string; MessageAttributes: typeof BATCH_ATTRIBUTES }>);
const counts = (sqs: StubSqs) => calls(sqs).map((entries) => entries.map((e) => JSON.parse(e.MessageBody).length));

test("events pack up to the count per message; full messages share one call, the partial tail follows", async (t) => {
  // Mocked time: the tail leaves when the linger is ticked, not when a busy machine happens to pass 5 ms.
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const pending = publisher(sqs, { maxEventsPerMessage: 10 }).submit(events(25));
  assert.deepEqual(counts(sqs), [[10, 10]], "the full messages left at once");
  t.mock.timers.tick(5);
  const results = await pending;
  assert.ok(results.every((r) => r.ok));
  assert.deepEqual(counts(sqs), [[10, 10], [5]]);
  const sent = calls(sqs).flat().flatMap((e) => JSON.parse(e.MessageBody));
  assert.deepEqual(sent, events(25).map((e) => JSON.parse(e.body)), "every event once, in order");
  for (const e of calls(sqs).flat()) assert.equal(e.MessageAttributes["content-type"].StringValue, "application/cloudevents-batch+json");
});

test("a message never exceeds its byte limit, attributes included, and is packed close to it", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const limit = 4096;
  await publisher(sqs, { maxMessageBytes: limit }).submit(events(200, 100));
  const sizes = calls(sqs).flat().map((e) => messageBytes(e.MessageBody, e.MessageAttributes));
  assert.ok(sizes.every((s) => s <= limit), `sizes ${sizes.join(",")}`);
  assert.ok(sizes.slice(0, -1).every((s) => s > limit - 101), "each message but the last is as full as the next event allows");
  assert.equal(calls(sqs).flat().reduce((n, e) => n + JSON.parse(e.MessageBody).length, 0), 200);
});

test("at most 10 messages per call, and a call stays within the batch payload limit", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  await publisher(sqs, { maxEventsPerMessage: 2 }).submit(events(50));
  assert.deepEqual(counts(sqs).map((c) => c.length), [10, 10, 5]);

  const small = new StubSqs({ SendMessageBatch: allStored });
  const batchLimit = 3000;
  await publisher(small, { maxMessageBytes: 1000, maxBatchBytes: batchLimit }).submit(events(60, 100));
  for (const [i, entries] of calls(small).entries()) {
    const bytes = entries.reduce((n, e) => n + messageBytes(e.MessageBody, e.MessageAttributes), 0);
    assert.ok(bytes <= batchLimit && entries.length <= MAX_BATCH_ENTRIES, `a call of ${bytes} bytes`);
    if (i < calls(small).length - 1) assert.ok(entries.length >= 3, "as many messages as the payload limit allows");
  }
});

test("a full message leaves at once; a partial one waits for the linger", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const p = publisher(sqs, { maxEventsPerMessage: 20 }, { lingerMs: 150 });
  const all = p.submit(events(25, 100, "a"));
  t.mock.timers.tick(149);
  assert.deepEqual(counts(sqs), [[20]], "the full message did not wait for the linger");
  t.mock.timers.tick(1);
  await all;
  assert.deepEqual(counts(sqs), [[20], [5]], "the tail left after the linger");
});

test("at low load a lone update leaves within the linger", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const p = publisher(sqs, {}, { lingerMs: 20 });
  for (let i = 0; i < 3; i++) {
    const started = Date.now();
    const [r] = await p.submit(events(1, 100, `low${i}`));
    const took = Date.now() - started;
    assert.ok(r.ok);
    assert.ok(took >= 15 && took < 2000, `stored after ${took} ms (linger 20 ms)`);
  }
  assert.deepEqual(counts(sqs), [[1], [1], [1]]);
});

test("a failed message fails every update it holds; the others in the call are stored", async () => {
  const sqs = new StubSqs({
    SendMessageBatch: (input) => ({
      Successful: input.Entries.filter((e: { Id: string }) => e.Id !== "1").map((e: { Id: string }) => ({ Id: e.Id })),
      Failed: [{ Id: "1", Code: "InvalidMessageContents", SenderFault: true }],
    }),
  });
  const results = await publisher(sqs, { maxEventsPerMessage: 4 }).submit(events(10));
  assert.deepEqual(results.map((r) => r.ok), [true, true, true, true, false, false, false, false, true, true]);
  assert.equal(calls(sqs).length, 1, "a sender fault is not retried");
});

test("a retried message carries all its updates again, and only those", async () => {
  let call = 0;
  const sqs = new StubSqs({
    SendMessageBatch: (input) => {
      if (++call > 1) return allStored(input);
      return { Successful: [{ Id: "0" }], Failed: [{ Id: "1", Code: "InternalError", SenderFault: false }] };
    },
  });
  const results = await publisher(sqs, { maxEventsPerMessage: 3 }).submit(events(6));
  assert.ok(results.every((r) => r.ok));
  const retried = calls(sqs)[1].flatMap((e) => JSON.parse(e.MessageBody));
  assert.deepEqual(retried, events(6).slice(3).map((e) => JSON.parse(e.body)));
});

test("FIFO entries are never packed: one event per message, with its group and deduplication id", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const fifo = events(12).map((e, i) => ({ ...e, groupId: `SKU-${i % 3}`, dedupId: `SKU-${i % 3}:${i}` }));
  await publisher(sqs, {}, { lingerMs: 10_000 }).submit(fifo.slice(0, 10));
  assert.deepEqual(counts(sqs), [Array(10).fill(1)], "ten singles fill a call without waiting");
  const e = calls(sqs)[0][4];
  assert.equal((e as unknown as { MessageGroupId: string }).MessageGroupId, "SKU-1");
  assert.equal((e as unknown as { MessageDeduplicationId: string }).MessageDeduplicationId, "SKU-1:4");
});

test("limits that cannot work are refused at construction", () => {
  assert.throws(() => publisher(new StubSqs(), { maxMessageBytes: 2_000_000 }), /message bytes <= batch bytes/);
  assert.throws(() => publisher(new StubSqs(), { maxEventsPerMessage: 0 }), { code: "invalid_option" });
});
