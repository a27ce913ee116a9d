// Options over defaults (an explicit undefined keeps the default; NaN never
// reaches SQS) and the stop that lets receives in flight answer and releases
// what they bring.

import type { Message } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Consumer, retryDelayS, type ConsumerOptions } from "../../src/pricing/consumer.ts";
import { createLogger } from "../../src/shared/log.ts";
import { definedOnly, withDefaults } from "../../src/shared/options.ts";
import { Publisher } from "../../src/shared/publisher.ts";
import { StubSqs } from "../helpers/sqs-stub.ts";
import { until } from "../helpers/until.ts";

const URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue";
const quiet = createLogger({ level: "error", write: () => {} });
const ok = (input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] });
const msg = (i: number): Message => ({ MessageId: `m${i}`, ReceiptHandle: `r${i}`, Body: String(i), Attributes: { ApproximateReceiveCount: "1" } });

test("withDefaults: an explicit undefined keeps the default; defined values win", () => {
  const merged = withDefaults({ a: 1, b: 2 }, { a: undefined, b: 5, c: "x" });
  assert.deepEqual(merged, { a: 1, b: 5, c: "x" });
  assert.deepEqual(definedOnly({ a: undefined, b: 0, c: null }), { b: 0, c: null });
});

test("Consumer: waitTimeS and retryBaseS passed as undefined keep 20 s and 2 s on the wire", async () => {
  let handed = false;
  const sqs = new StubSqs({
    ReceiveMessage: async () => {
      if (!handed) {
        handed = true;
        return { Messages: [msg(1)] };
      }
      await sleep(10);
      return { Messages: [] };
    },
    ChangeMessageVisibility: () => ({}),
    ChangeMessageVisibilityBatch: ok,
  });
  const options: ConsumerOptions = { sqs: sqs.port, queueUrl: URL, pollers: 1, concurrency: 1, visibilityTimeoutS: 30, log: quiet, handle: async () => "retry", waitTimeS: undefined, retryBaseS: undefined };
  const c = new Consumer(options);
  c.start();
  await until(() => sqs.callsOf("ChangeMessageVisibility").length === 1);
  await c.stop(0);
  assert.equal(sqs.callsOf("ReceiveMessage")[0].input.WaitTimeSeconds, 20);
  assert.equal(sqs.callsOf("ChangeMessageVisibility")[0].input.VisibilityTimeout, 2);
});

test("Consumer: a NaN or fractional timing is refused at construction, naming the option", () => {
  const base = { sqs: new StubSqs().port, queueUrl: URL, pollers: 1, concurrency: 1, visibilityTimeoutS: 30, log: quiet, handle: async () => "ack" as const };
  assert.throws(() => new Consumer({ ...base, retryBaseS: Number.NaN }), /retryBaseS must be an integer 0-43200, got NaN/);
  assert.throws(() => new Consumer({ ...base, visibilityTimeoutS: 0.5 }), /visibilityTimeoutS must be an integer/);
  assert.throws(() => new Consumer({ ...base, waitTimeS: 21 }), /waitTimeS must be an integer 0-20/);
});

test("retryDelayS: integers only, growing, capped; a missing or garbled receive count counts as 1", () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayS(n, 2, 300)), [2, 4, 8, 16, 32]);
  assert.equal(retryDelayS(40, 2, 300), 300);
  assert.equal(retryDelayS(Number.NaN, 2, 300), 2);
  assert.equal(retryDelayS(1000, 2, 99_999), 43_200);
});

test("Publisher: backoff options passed as undefined keep their defaults (the retry still happens)", async () => {
  let calls = 0;
  const sqs = new StubSqs({
    SendMessageBatch: (input) => (++calls === 1 ? { Successful: [], Failed: input.Entries.map((e: { Id: string }) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })) } : ok(input)),
  });
  const p = new Publisher({ sqs: sqs.port, lingerMs: 0, maxPending: 10, maxInFlight: 1, maxAttempts: 3, callTimeoutMs: 1000, backoffBaseMs: undefined, backoffCapMs: undefined, random: undefined, now: undefined });
  p.start(URL);
  const [result] = await p.submit([{ body: "{}" }]);
  assert.deepEqual(result, { ok: true });
  assert.equal(calls, 2);
});

test("stop: a receive in flight is not aborted; what it brings is released with visibility 0, not worked on", async () => {
  let answer!: (v: { Messages: Message[] }) => void;
  const sqs = new StubSqs({
    ReceiveMessage: () => new Promise((r) => (answer = r)),
    ChangeMessageVisibilityBatch: ok,
    DeleteMessageBatch: ok,
  });
  const handled: string[] = [];
  const c = new Consumer({ sqs: sqs.port, queueUrl: URL, pollers: 1, concurrency: 5, visibilityTimeoutS: 30, waitTimeS: 5, log: quiet, handle: async (m) => (handled.push(m.Body ?? ""), "ack") });
  c.start();
  await until(() => sqs.callsOf("ReceiveMessage").length === 1);
  const stopped = c.stop(3000); // stop() stops new receives synchronously, before its first await
  answer({ Messages: [msg(7), msg(8)] }); // SQS handed these out while the stop was under way
  const released = await stopped;
  assert.equal(released, 2);
  assert.deepEqual(handled, []);
  const rel = sqs.callsOf("ChangeMessageVisibilityBatch").flatMap((x) => x.input.Entries.map((e: { ReceiptHandle: string; VisibilityTimeout: number }) => [e.ReceiptHandle, e.VisibilityTimeout]));
  assert.deepEqual(rel, [["r7", 0], ["r8", 0]]);
  assert.equal(sqs.callsOf("ReceiveMessage").length, 1, "no receive starts after stop");
});

test("stop: a receive that outlives its own wait plus margin (a hung connection) is aborted within the grace period", async () => {
  const sqs = new StubSqs({ ReceiveMessage: () => new Promise(() => {}), ChangeMessageVisibilityBatch: ok });
  const c = new Consumer({ sqs: sqs.port, queueUrl: URL, pollers: 2, concurrency: 20, visibilityTimeoutS: 30, waitTimeS: 20, log: quiet, handle: async () => "ack" });
  c.start();
  await until(() => sqs.callsOf("ReceiveMessage").length === 2);
  const started = Date.now();
  assert.equal(await c.stop(400), 0);
  const took = Date.now() - started;
  assert.ok(took >= 350 && took < 2000, `stop took ${took} ms`);
});
