import type { Message } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate, setTimeout as sleep } from "node:timers/promises";
import { Consumer, type ConsumerOptions, type Outcome } from "../../src/pricing/consumer.ts";
import { createLogger } from "../../src/shared/log.ts";
import { ManualClock } from "../helpers/manual-clock.ts";
import { sqsError, StubSqs } from "../helpers/sqs-stub.ts";
import { gate, until } from "../helpers/until.ts";

const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue";
const quiet = createLogger({ level: "error", write: () => {} });

/** A queue stand-in: ReceiveMessage hands out `messages`, then long-polls until aborted. */
function queue(messages: Message[], extra: Record<string, (input: any) => unknown> = {}) {
  const pending = [...messages];
  return new StubSqs({
    ReceiveMessage: async (input) => {
      const batch = pending.splice(0, input.MaxNumberOfMessages);
      if (batch.length) return { Messages: batch };
      await sleep(20);
      return { Messages: [] };
    },
    DeleteMessageBatch: (input) => ({ Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id })), Failed: [] }),
    ChangeMessageVisibility: () => ({}),
    ChangeMessageVisibilityBatch: (input) => ({ Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id })), Failed: [] }),
    ...extra,
  });
}

const msg = (i: number, attrs: Record<string, string> = {}): Message => ({
  MessageId: `m${i}`,
  ReceiptHandle: `r${i}`,
  Body: String(i),
  Attributes: { ApproximateReceiveCount: "1", ...attrs },
});

function consumer(sqs: StubSqs, handle: (m: Message) => Promise<Outcome>, o: Partial<ConsumerOptions> = {}) {
  const c = new Consumer({ sqs: sqs.port, queueUrl: URL, pollers: 2, concurrency: 5, visibilityTimeoutS: 30, handle, log: quiet, waitTimeS: 1, deleteLingerMs: 2, ...o });
  c.start();
  return c;
}

const deleted = (sqs: StubSqs) => sqs.callsOf("DeleteMessageBatch").flatMap((c) => c.input.Entries.map((e: { ReceiptHandle: string }) => e.ReceiptHandle));

test("acknowledged messages are deleted in batches of up to 10", async () => {
  const sqs = queue(Array.from({ length: 25 }, (_, i) => msg(i)));
  const c = consumer(sqs, async () => "ack", { concurrency: 30 });
  await until(() => deleted(sqs).length === 25);
  await c.stop(1000);
  assert.ok(sqs.callsOf("DeleteMessageBatch").every((call) => call.input.Entries.length <= 10));
  assert.ok(sqs.callsOf("DeleteMessageBatch").length <= 6, "deletes are batched");
  const receive = sqs.callsOf("ReceiveMessage")[0].input;
  assert.equal(receive.WaitTimeSeconds, 1);
  assert.ok(receive.MessageSystemAttributeNames.includes("ApproximateReceiveCount"));
});

test("never more than CONCURRENCY messages in work, and receives ask only for free slots", async () => {
  const sqs = queue(Array.from({ length: 40 }, (_, i) => msg(i)));
  let inWork = 0;
  let peak = 0;
  // Every handler waits until 7 are in work, then yields once more so that an 8th, if started, would be counted.
  const full = gate();
  const c = consumer(sqs, async () => {
    peak = Math.max(peak, ++inWork);
    if (inWork === 7) full.open();
    await full.promise;
    await setImmediate();
    inWork--;
    return "ack";
  }, { concurrency: 7, pollers: 3 });
  await until(() => deleted(sqs).length === 40);
  await c.stop(1000);
  assert.equal(peak, 7);
  assert.ok(sqs.callsOf("ReceiveMessage").every((call) => call.input.MaxNumberOfMessages <= 7));
});

test("a slow message gets its visibility extended before it runs out (heartbeat)", async () => {
  const sqs = queue([msg(1)]);
  // The work outlasts the 1 s visibility timeout: it ends only once the heartbeat (every half of it) extended the message twice.
  const c = consumer(sqs, async () => {
    await until(() => sqs.callsOf("ChangeMessageVisibility").length >= 2, { what: "two heartbeats" });
    return "ack";
  }, { visibilityTimeoutS: 1 });
  await until(() => deleted(sqs).length === 1);
  await c.stop(1000);
  const beats = sqs.callsOf("ChangeMessageVisibility");
  assert.ok(beats.length >= 2, `heartbeats: ${beats.length}`);
  assert.ok(beats.every((b) => b.input.VisibilityTimeout === 1 && b.input.ReceiptHandle === "r1"));
});

test("on a hand-moved clock: no heartbeat before half the visibility timeout, one at it, one more each half after", async () => {
  const clock = new ManualClock();
  const sqs = queue([msg(1)]);
  let finish!: () => void;
  const working = new Promise<void>((r) => (finish = r));
  const c = consumer(sqs, async () => (await working, "ack"), { visibilityTimeoutS: 10, clock });
  await until(() => c.inFlight === 1);
  await clock.advance(4_999);
  assert.equal(sqs.callsOf("ChangeMessageVisibility").length, 0, "no heartbeat at 4.999 s of a 10 s visibility");
  await clock.advance(1);
  assert.equal(sqs.callsOf("ChangeMessageVisibility").length, 1, "one heartbeat at 5 s");
  await clock.advance(5_000);
  assert.equal(sqs.callsOf("ChangeMessageVisibility").length, 2);
  finish();
  await clock.advance(2); // the delete linger
  await until(() => c.inFlight === 0);
  await clock.advance(60_000);
  assert.equal(sqs.callsOf("ChangeMessageVisibility").length, 2, "the heartbeat ends with the work");
  const stopped = c.stop(1000);
  await clock.advance(3_000);
  await stopped;
});

test("on a hand-moved clock: a lone finished message waits deleteLingerMs for company, then is deleted", async () => {
  const clock = new ManualClock();
  const sqs = queue([msg(1)]);
  const c = consumer(sqs, async () => "ack", { deleteLingerMs: 50, clock });
  await until(() => c.inFlight === 1 || deleted(sqs).length > 0);
  await clock.advance(49);
  assert.deepEqual(deleted(sqs), [], "not deleted before the linger");
  await clock.advance(1);
  await until(() => deleted(sqs).length === 1);
  const stopped = c.stop(1000);
  await clock.advance(3_000);
  await stopped;
});

test("a retry sets visibility to a backoff that grows with the receive count; nothing is deleted", async () => {
  const sqs = queue([msg(1, { ApproximateReceiveCount: "1" }), msg(2, { ApproximateReceiveCount: "3" }), msg(3, { ApproximateReceiveCount: "30" })]);
  const c = consumer(sqs, async () => "retry", { retryBaseS: 2, retryCapS: 300 });
  await until(() => sqs.callsOf("ChangeMessageVisibility").length === 3);
  await c.stop(1000);
  const byReceipt = Object.fromEntries(sqs.callsOf("ChangeMessageVisibility").map((x) => [x.input.ReceiptHandle, x.input.VisibilityTimeout]));
  assert.deepEqual(byReceipt, { r1: 2, r2: 8, r3: 300 });
  assert.equal(deleted(sqs).length, 0);
});

test("a poison message is not deleted; the others flow", async () => {
  const sqs = queue([msg(1), msg(2), msg(3)]);
  const c = consumer(sqs, async (m) => (m.Body === "2" ? "poison" : "ack"));
  await until(() => deleted(sqs).length === 2 && sqs.callsOf("ChangeMessageVisibility").length === 1);
  await c.stop(1000);
  assert.deepEqual(deleted(sqs).sort(), ["r1", "r3"]);
});

test("a handler that throws counts as a retry", async () => {
  const sqs = queue([msg(1)]);
  const c = consumer(sqs, async () => {
    throw new Error("boom");
  });
  await until(() => sqs.callsOf("ChangeMessageVisibility").length === 1);
  await c.stop(1000);
  assert.equal(deleted(sqs).length, 0);
});

test("ReceiveMessage errors back off and recover by themselves", async () => {
  let calls = 0;
  const pending = [msg(1)];
  const sqs = queue([], {
    ReceiveMessage: async () => {
      calls++;
      if (calls <= 3) throw sqsError("ServiceUnavailable", 503);
      const batch = pending.splice(0);
      if (!batch.length) await sleep(20);
      return { Messages: batch };
    },
  });
  const c = consumer(sqs, async () => "ack", { pollers: 1 });
  await until(() => deleted(sqs).length === 1, { timeoutMs: 10_000 });
  await c.stop(1000);
  assert.ok(calls >= 4);
});

test("stop: receives stop at once, finished work is deleted, unfinished is released with visibility 0", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let finishTwo!: () => void;
  const two = new Promise<void>((r) => (finishTwo = r));
  const sqs = new StubSqs({
    ReceiveMessage: async (input, call) => {
      if (sqs.callsOf("ReceiveMessage").indexOf(call) === 0) return { Messages: [msg(1), msg(2), msg(3)] };
      return new Promise(() => {}); // a long poll that only an abort ends
    },
    DeleteMessageBatch: (input) => ({ Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id })), Failed: [] }),
    ChangeMessageVisibilityBatch: (input) => ({ Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id })), Failed: [] }),
  });
  const c = consumer(sqs, async (m) => {
    if (m.Body === "1") return "ack";
    if (m.Body === "2") {
      await two; // finishes while the stop waits for the work in hand
      return "ack";
    }
    await gate; // message 3 never finishes within the grace period
    return "ack";
  }, { pollers: 1 });
  await until(() => c.inFlight === 2);
  const started = Date.now();
  const stopping = c.stop(300);
  finishTwo();
  const released = await stopping;
  release();
  assert.equal(released, 1);
  assert.ok(Date.now() - started < 2000, "the long poll was aborted");
  assert.deepEqual(deleted(sqs).sort(), ["r1", "r2"]);
  const rel = sqs.callsOf("ChangeMessageVisibilityBatch");
  assert.equal(rel.length, 1);
  assert.deepEqual(rel[0].input.Entries.map((e: { ReceiptHandle: string; VisibilityTimeout: number }) => [e.ReceiptHandle, e.VisibilityTimeout]), [["r3", 0]]);
});

test("FIFO: messages of one group run one after another, in order; other groups in parallel", async () => {
  const messages = [
    msg(1, { MessageGroupId: "A" }),
    msg(2, { MessageGroupId: "A" }),
    msg(3, { MessageGroupId: "B" }),
    msg(4, { MessageGroupId: "A" }),
  ];
  const sqs = queue(messages);
  const order: string[] = [];
  const active = new Set<string>();
  let overlapA = false;
  const c = consumer(sqs, async (m) => {
    const g = m.Attributes!.MessageGroupId!;
    if (g === "A" && active.has("A")) overlapA = true;
    active.add(g);
    // A stays in work until B is done, so B cannot be waiting behind A; a second A started meanwhile would be seen.
    if (g === "A") await until(() => order.includes("3"), { what: "group B finishes while group A is in work" });
    else await setImmediate();
    order.push(m.Body!);
    active.delete(g);
    return "ack";
  }, { pollers: 1, concurrency: 10 });
  await until(() => deleted(sqs).length === 4);
  await c.stop(1000);
  assert.equal(overlapA, false);
  assert.deepEqual(order.filter((b) => b !== "3"), ["1", "2", "4"]);
  assert.equal(order[0], "3", "group B did not wait for group A");
});

test("FIFO: after a message of a group is not acknowledged, the later ones of that receive are given back unrun, in order for their next receive", async () => {
  const sqs = queue([msg(1, { MessageGroupId: "A" }), msg(2, { MessageGroupId: "A" }), msg(3, { MessageGroupId: "A" }), msg(4, { MessageGroupId: "B" })]);
  const handled: string[] = [];
  const c = consumer(sqs, async (m) => {
    handled.push(m.Body!);
    return m.Body === "1" ? "retry" : "ack";
  }, { pollers: 1, concurrency: 10 });
  const visibility = () => sqs.callsOf("ChangeMessageVisibility").map((call) => [call.input.ReceiptHandle, call.input.VisibilityTimeout]);
  await until(() => deleted(sqs).length === 1 && visibility().length === 3, { what: "m4 deleted, m1 backed off, m2 and m3 given back" });
  await c.stop(1000);
  assert.deepEqual(handled.sort(), ["1", "4"], "m2 and m3 never ran ahead of m1");
  assert.deepEqual(visibility(), [["r1", 2], ["r2", 0], ["r3", 0]]);
  assert.deepEqual(deleted(sqs), ["r4"]);
});

test("FIFO: a message waiting behind its group keeps its visibility from its receive (heartbeat while it waits)", async () => {
  const sqs = queue([msg(1, { MessageGroupId: "A" }), msg(2, { MessageGroupId: "A" })]);
  const beats = (r: string) => sqs.callsOf("ChangeMessageVisibility").filter((call) => call.input.ReceiptHandle === r && call.input.VisibilityTimeout === 1).length;
  const c = consumer(sqs, async (m) => {
    // m1 finishes only once m2, still waiting behind it, has been extended twice.
    if (m.Body === "1") await until(() => beats("r2") >= 2, { what: "heartbeats of the waiting m2" });
    return "ack";
  }, { pollers: 1, concurrency: 10, visibilityTimeoutS: 1 });
  await until(() => deleted(sqs).length === 2);
  await c.stop(1000);
  assert.deepEqual(deleted(sqs), ["r1", "r2"]);
});

test("two copies of one message in work at once (a standard queue may deliver twice) are both tracked and both given back at stop", async () => {
  const sqs = queue([{ ...msg(1), ReceiptHandle: "r1a" }, { ...msg(1), ReceiptHandle: "r1b" }]);
  const never = gate();
  const c = consumer(sqs, async () => {
    await never.promise;
    return "ack";
  }, { pollers: 1, concurrency: 10 });
  await until(() => c.inFlight === 2, { what: "both copies in work" });
  await c.stop(0);
  const released = sqs.callsOf("ChangeMessageVisibilityBatch").flatMap((call) => call.input.Entries.map((e: { ReceiptHandle: string }) => e.ReceiptHandle));
  assert.deepEqual(released.sort(), ["r1a", "r1b"]);
  never.open();
});
