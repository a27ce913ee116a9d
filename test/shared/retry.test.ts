// retry(): the one retry loop of the services (src/shared/retry.ts).

import assert from "node:assert/strict";
import { test } from "node:test";
import { systemClock, type Clock } from "../../src/shared/clock.ts";
import { backoffMs, retry } from "../../src/shared/retry.ts";

/** A clock whose sleep returns at once and records how long it was asked to wait. */
function recordingClock(waits: number[]): Clock {
  return { ...systemClock, sleep: async (ms) => void waits.push(ms) };
}

test("retry returns the first success and waits floor + jittered backoff between failures", async () => {
  const waits: number[] = [];
  let calls = 0;
  const out = await retry(async () => {
    if (++calls < 4) throw new Error("again");
    return "done";
  }, { attempts: 5, base: 100, cap: 250, floor: 10, clock: recordingClock(waits) });
  assert.equal(out, "done");
  assert.equal(calls, 4);
  assert.equal(waits.length, 3);
  const caps = [100, 200, 250];
  waits.forEach((w, i) => assert.ok(w >= 10 && w < 10 + caps[i], `wait ${i} was ${w}`));
});

test("retry throws the last error when attempts run out", async () => {
  let calls = 0;
  await assert.rejects(retry(async () => { throw new Error(`fail ${++calls}`); }, { attempts: 3, base: 1, cap: 1, clock: recordingClock([]) }), /fail 3/);
  assert.equal(calls, 3);
});

test("retry throws at once an error isRetriable refuses", async () => {
  let calls = 0;
  await assert.rejects(retry(async () => { calls++; throw new Error("denied"); }, { attempts: 5, isRetriable: () => false, base: 1, cap: 1, clock: recordingClock([]) }), /denied/);
  assert.equal(calls, 1);
});

test("retry with unlimited attempts ends when its signal aborts during the wait", async () => {
  const abort = new AbortController();
  let calls = 0;
  const clock: Clock = { ...systemClock, sleep: async () => abort.abort() };
  await assert.rejects(retry(async () => { calls++; throw new Error("down"); }, { attempts: Infinity, base: 1, cap: 1, clock, signal: abort.signal }), /down/);
  assert.equal(calls, 1);
});

test("backoffMs stays within [0, min(cap, base * 2^attempt))", () => {
  assert.equal(backoffMs(3, 10, 1000, () => 0.999999), 79);
  assert.equal(backoffMs(30, 10, 1000, () => 0.5), 500);
  assert.equal(backoffMs(0, 10, 1000, () => 0), 0);
});
