import assert from "node:assert/strict";
import { setImmediate } from "node:timers/promises";
import { test } from "node:test";
import { MAX_BATCH_BYTES, MAX_MESSAGE_BYTES } from "../../src/shared/limits.ts";
import { Publisher, type PublisherOptions } from "../../src/shared/publisher.ts";
import { allStored, sqsError, StubSqs } from "../helpers/sqs-stub.ts";
import { gate, until } from "../helpers/until.ts";

// These cases run unpacked (one event per message, as FIFO queues and the
// format before packing do); packing has its own file.
const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue";
const UNPACKED = { maxEventsPerMessage: 1, maxMessageBytes: MAX_MESSAGE_BYTES, maxBatchBytes: MAX_BATCH_BYTES };

function publisher(sqs: StubSqs, o: Partial<PublisherOptions> = {}): Publisher {
  const p = new Publisher({
    sqs: sqs.port,
    lingerMs: 5,
    maxPending: 1000,
    maxInFlight: 8,
    maxAttempts: 3,
    callTimeoutMs: 1000,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    packing: UNPACKED,
    ...o,
  });
  p.start(URL);
  return p;
}

const entries = (n: number, size = 20, tag = "") => Array.from({ length: n }, (_, i) => ({ body: `${i}:${tag}`.padEnd(size, "x") }));

test("concurrent submissions share batches of at most 10", async (t) => {
  // Time stands still: a slow machine cannot make the linger expire between the submissions.
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const p = publisher(sqs);
  const settled = Promise.all([p.submit(entries(7, 20, "a")), p.submit(entries(9, 20, "b")), p.submit(entries(9, 20, "c"))]);
  t.mock.timers.tick(5);
  const results = await settled;
  assert.ok(results.flat().every((r) => r.ok));
  const sizes = sqs.callsOf("SendMessageBatch").map((c) => c.input.Entries.length);
  assert.deepEqual(sizes, [10, 10, 5]);
  assert.equal(sqs.callsOf("SendMessageBatch")[0].input.QueueUrl, URL);
  const bodies = sqs.callsOf("SendMessageBatch").flatMap((c) => c.input.Entries.map((e: { MessageBody: string }) => e.MessageBody));
  assert.equal(new Set(bodies).size, 25, "every body is sent exactly once");
  assert.equal(p.pending, 0);
});

test("a partial batch waits for the linger time, then goes out", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const p = publisher(sqs, { lingerMs: 60 });
  const done = p.submit(entries(3));
  t.mock.timers.tick(59);
  assert.equal(sqs.callsOf("SendMessageBatch").length, 0, "nothing sent before the linger");
  t.mock.timers.tick(1);
  assert.equal(sqs.callsOf("SendMessageBatch").length, 1, "sent at 60 ms");
  assert.ok((await done).every((r) => r.ok));
});

test("a full batch does not wait for the linger", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const p = publisher(sqs, { lingerMs: 10_000 });
  await p.submit(entries(10));
  assert.equal(sqs.callsOf("SendMessageBatch").length, 1);
});

test("batches respect the payload size limit", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const p = publisher(sqs);
  const big = Math.floor(MAX_BATCH_BYTES / 3) + 1;
  await p.submit(entries(6, big));
  const calls = sqs.callsOf("SendMessageBatch");
  assert.deepEqual(calls.map((c) => c.input.Entries.length), [2, 2, 2]);
  for (const c of calls) {
    const bytes = c.input.Entries.reduce((s: number, e: { MessageBody: string }) => s + Buffer.byteLength(e.MessageBody), 0);
    assert.ok(bytes <= MAX_BATCH_BYTES);
  }
});

test("failed entries are retried alone; stored ones are not sent twice", async () => {
  let call = 0;
  const sqs = new StubSqs({
    SendMessageBatch: (input) => {
      call++;
      if (call === 1) {
        return {
          Successful: input.Entries.filter((e: { Id: string }) => e.Id !== "1").map((e: { Id: string }) => ({ Id: e.Id })),
          Failed: [{ Id: "1", Code: "InternalError", SenderFault: false }],
        };
      }
      return allStored(input);
    },
  });
  const p = publisher(sqs);
  const results = await p.submit(entries(3));
  assert.ok(results.every((r) => r.ok));
  const calls = sqs.callsOf("SendMessageBatch");
  assert.equal(calls.length, 2);
  assert.equal(calls[1].input.Entries.length, 1);
  assert.equal(calls[1].input.Entries[0].MessageBody, `[${entries(3)[1].body}]`);
});

test("a whole-call error is retried with backoff and then succeeds", async () => {
  let call = 0;
  const sqs = new StubSqs({
    SendMessageBatch: (input) => {
      if (++call === 1) throw sqsError("ServiceUnavailable", 503);
      return allStored(input);
    },
  });
  const results = await publisher(sqs).submit(entries(4));
  assert.ok(results.every((r) => r.ok));
  assert.equal(sqs.callsOf("SendMessageBatch").length, 2);
});

test("entries still failing after maxAttempts settle as publish_failed; the others as stored", async () => {
  const sqs = new StubSqs({
    SendMessageBatch: (input) => ({
      Successful: input.Entries.filter((e: { MessageBody: string }) => !e.MessageBody.startsWith("[0:")).map((e: { Id: string }) => ({ Id: e.Id })),
      Failed: input.Entries.filter((e: { MessageBody: string }) => e.MessageBody.startsWith("[0:")).map((e: { Id: string }) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
    }),
  });
  const results = await publisher(sqs, { maxAttempts: 3 }).submit(entries(3));
  assert.equal(results[0].ok, false);
  assert.equal(!results[0].ok && results[0].code, "publish_failed");
  assert.ok(results[1].ok && results[2].ok);
  assert.equal(sqs.callsOf("SendMessageBatch").length, 3, "first try plus two retries");
});

test("a sender fault is not retried", async () => {
  const sqs = new StubSqs({
    SendMessageBatch: (input) => ({ Successful: [], Failed: input.Entries.map((e: { Id: string }) => ({ Id: e.Id, Code: "InvalidMessageContents", SenderFault: true })) }),
  });
  const results = await publisher(sqs).submit(entries(2));
  assert.ok(results.every((r) => !r.ok && r.code === "publish_rejected"));
  assert.equal(sqs.callsOf("SendMessageBatch").length, 1);
});

test("a call that hangs past the timeout counts as failed and is retried", async () => {
  let call = 0;
  const sqs = new StubSqs({
    SendMessageBatch: (input) => (++call === 1 ? new Promise(() => {}) : allStored(input)),
  });
  const results = await publisher(sqs, { callTimeoutMs: 50 }).submit(entries(1));
  assert.ok(results[0].ok);
  assert.equal(call, 2);
});

test("beyond maxPending, submit refuses at once and queues nothing", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const sqs = new StubSqs({ SendMessageBatch: async (input) => (await gate, allStored(input)) });
  const p = publisher(sqs, { maxPending: 20 });
  const first = p.submit(entries(15));
  assert.throws(() => p.submit(entries(6)), (e: unknown) => (e as { code?: string }).code === "overloaded");
  assert.equal(p.pending, 15);
  const second = p.submit(entries(5));
  release();
  await Promise.all([first, second]);
  assert.equal(p.pending, 0);
});

test("at most maxInFlight calls run at once", async () => {
  let inFlight = 0;
  let peak = 0;
  // Every call waits until two are in flight, then yields once more so that a third, if sent, would be counted.
  const twoInFlight = gate();
  const sqs = new StubSqs({
    SendMessageBatch: async (input) => {
      peak = Math.max(peak, ++inFlight);
      if (inFlight === 2) twoInFlight.open();
      await twoInFlight.promise;
      await setImmediate();
      inFlight--;
      return allStored(input);
    },
  });
  const results = await publisher(sqs, { maxInFlight: 2 }).submit(entries(100));
  assert.ok(results.every((r) => r.ok));
  assert.equal(peak, 2);
  assert.equal(sqs.callsOf("SendMessageBatch").length, 10);
});

test("submit before the queue is resolved is refused as not_ready", () => {
  const p = new Publisher({ sqs: new StubSqs().port, lingerMs: 5, maxPending: 10, maxInFlight: 1, maxAttempts: 1, callTimeoutMs: 100 });
  assert.throws(() => p.submit(entries(1)), (e: unknown) => (e as { code?: string }).code === "not_ready");
});

test("drain sends what is queued at once and waits for it", async () => {
  const answer = gate();
  const sqs = new StubSqs({ SendMessageBatch: async (input) => (await answer.promise, allStored(input)) });
  const p = publisher(sqs, { lingerMs: 10_000 });
  const pending = p.submit(entries(3));
  const drained = p.drain(30_000);
  await until(() => sqs.callsOf("SendMessageBatch").length === 1, { what: "drain sends without lingering" });
  answer.open();
  assert.equal(await drained, true);
  assert.ok((await pending).every((r) => r.ok));
  assert.throws(() => p.submit(entries(1)), (e: unknown) => (e as { code?: string }).code === "shutting_down");
});

test("drain past its deadline fails what was not stored, so those requests answer 503", async () => {
  const sqs = new StubSqs({ SendMessageBatch: () => Promise.reject(sqsError("ServiceUnavailable", 503)) });
  const p = publisher(sqs, { backoffBaseMs: 200, backoffCapMs: 200, maxAttempts: 10 });
  const pending = p.submit(entries(2));
  await until(() => sqs.callsOf("SendMessageBatch").length === 1, { what: "the first attempt" });
  assert.equal(await p.drain(50), false);
  const results = await pending;
  assert.ok(results.every((r) => !r.ok && r.code === "shutting_down"));
  assert.equal(p.pending, 0);
});

test("FIFO fields are passed through per entry", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  await publisher(sqs).submit([{ body: "a", groupId: "SKU-1", dedupId: "SKU-1:7" }]);
  const e = sqs.callsOf("SendMessageBatch")[0].input.Entries[0];
  assert.equal(e.MessageGroupId, "SKU-1");
  assert.equal(e.MessageDeduplicationId, "SKU-1:7");
});
