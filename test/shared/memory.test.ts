// The idle memory release: when it runs a GC (idle and grown), when it does
// not (busy, not grown, already released), and that the GC it gets without
// --expose-gc is V8's real one and leaves no `gc` global behind.

import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate } from "node:timers/promises";
import { createLogger } from "../../src/shared/log.ts";
import { createMemoryRelease, fullGc, RELEASE_GROWTH_BYTES } from "../../src/shared/memory.ts";
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { loadPricingConfig } from "../../src/pricing/config.ts";
import { ConfigError } from "../../src/shared/errors.ts";

const MB = 1024 * 1024;

function rig(start: number) {
  const state = { rss: start, busy: 0, gcs: 0, lines: [] as Array<Record<string, unknown>>, afterGc: start };
  const release = createMemoryRelease({
    idleMs: 3_600_000, // the timer never fires here: the test calls check()
    log: createLogger({ write: (l) => void state.lines.push(JSON.parse(l)) }),
    rss: () => state.rss,
    utilization: () => state.busy,
    gc: () => {
      state.gcs++;
      state.rss = state.afterGc;
    },
    settleMs: 0,
  });
  return { state, release };
}

test("an idle process whose RSS grew by the threshold gets one GC, logged with RSS before and after", async (t) => {
  const { state, release } = rig(70 * MB);
  t.after(() => release.stop());
  state.rss = 190 * MB;
  state.busy = 0.9;
  assert.equal(await release.check(), false, "busy: no GC under load");
  assert.equal(state.gcs, 0);
  state.busy = 0.01;
  state.afterGc = 105 * MB;
  assert.equal(await release.check(), true);
  assert.equal(state.gcs, 1);
  const line = state.lines.find((l) => l.msg === "memory.released");
  assert.deepEqual({ before: line?.rssBeforeMb, after: line?.rssAfterMb }, { before: 190, after: 105 });
  assert.equal(typeof line?.gcMs, "number");
  // Still idle, nothing grew since: no second GC.
  assert.equal(await release.check(), false);
  assert.equal(state.gcs, 1);
  // The next burst is measured from the level after the release.
  state.rss = 105 * MB + RELEASE_GROWTH_BYTES - 1;
  assert.equal(await release.check(), false);
  state.rss = 105 * MB + RELEASE_GROWTH_BYTES;
  assert.equal(await release.check(), true);
  assert.equal(state.gcs, 2);
});

test("growth below the threshold never costs a GC, and the floor follows RSS down", async (t) => {
  const { state, release } = rig(80 * MB);
  t.after(() => release.stop());
  state.rss = 80 * MB + RELEASE_GROWTH_BYTES - MB;
  assert.equal(await release.check(), false);
  state.rss = 60 * MB; // the heap shrank on its own: growth counts from here now
  assert.equal(await release.check(), false);
  state.rss = 60 * MB + RELEASE_GROWTH_BYTES;
  assert.equal(await release.check(), true);
  assert.equal(state.gcs, 1);
});

test("MEMORY_RELEASE_IDLE_S=0 turns it off: no check ever runs a GC", async () => {
  let gcs = 0;
  const release = createMemoryRelease({ idleMs: 0, log: createLogger({ write: () => {} }), rss: () => 500 * MB, utilization: () => 0, gc: () => void gcs++ });
  assert.equal(await release.check(), false);
  release.stop();
  assert.equal(gcs, 0);
});

test("the GC obtained without --expose-gc is a real full GC, and no gc global is left behind", async () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, "undefined", "this test runs without --expose-gc");
  const gc = fullGc();
  let ref: WeakRef<object> | undefined = new WeakRef({ payload: new Array(1000).fill(1) });
  await setImmediate(); // a WeakRef's target is kept until the current job ends
  gc();
  assert.equal(ref.deref(), undefined, "the unreachable object was collected");
  ref = undefined;
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, "undefined");
});

test("both services read MEMORY_RELEASE_IDLE_S from the environment: default 5, 0 allowed, bad values named", () => {
  const base = { AWS_REGION: "eu-west-1", AUTH_DISABLED: "true" };
  assert.equal(loadInventoryConfig(base).MEMORY_RELEASE_IDLE_S, 5);
  assert.equal(loadPricingConfig(base).MEMORY_RELEASE_IDLE_S, 5);
  assert.equal(loadInventoryConfig({ ...base, MEMORY_RELEASE_IDLE_S: "0" }).MEMORY_RELEASE_IDLE_S, 0);
  assert.throws(() => loadPricingConfig({ ...base, MEMORY_RELEASE_IDLE_S: "-1" }), (e: unknown) => e instanceof ConfigError && /MEMORY_RELEASE_IDLE_S/.test(e.message) && /0-3600/.test(e.message));
  assert.throws(() => loadInventoryConfig({ ...base, MEMORY_RELEASE_IDLE_S: "soon" }), (e: unknown) => e instanceof ConfigError && e.variable === "MEMORY_RELEASE_IDLE_S");
});
