// After a burst, inventory gives back what V8 kept: the built bundle,
// configured by its environment (MEMORY_RELEASE_IDLE_S=1), loaded against the
// emulator in 3 s rounds (128 connections, more each round) until RSS climbed
// MIN_CLIMB_MB, then left idle. Without the release its RSS stays at the
// burst's peak for as long as it is idle. A burst that cannot raise RSS that
// far leaves nothing to check: the test fails saying so, it does not pass.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout } from "node:timers/promises";
import { load } from "../../scripts/faults/client.ts";
import { History } from "../../scripts/faults/history.ts";
import { MIN_CLIMB_MB } from "../../scripts/faults/scenarios-abuse.ts";
import { FaultStack } from "../../scripts/faults/stack.ts";
import { rssMb } from "../../scripts/lib/process.ts";
import { eventually } from "../helpers/until.ts";

/** Burst rounds at most, each 3 s with 128 more connections. */
const ROUNDS = 3;

const ROOT = join(import.meta.dirname, "..", "..");

for (const idle of ["1", "0"]) {
  test(`inventory after a burst, MEMORY_RELEASE_IDLE_S=${idle}: ${idle === "0" ? "RSS stays up (the control)" : "RSS falls back toward its baseline"}`, { timeout: 90_000 }, async (t) => {
    if (!existsSync(join(ROOT, "dist", "inventory.mjs"))) return t.skip("dist/inventory.mjs not built (npm test builds it first)");
    const stack = await FaultStack.start({ visibilityS: 10, maxReceive: 5, inventoryEnv: { MEMORY_RELEASE_IDLE_S: idle } }, { pricing: false });
    t.after(() => stack.stop());
    const inventory = stack.inventory!;
    // The baseline once start-up has settled: two readings 100 ms apart within 1 MB.
    let last = rssMb(inventory.pid);
    await eventually(() => Math.abs(last - (last = rssMb(inventory.pid))) < 1, { timeoutMs: 5000, intervalMs: 100 });
    const baseline = rssMb(inventory.pid);
    const history = new History();
    const started = Date.now();
    let peak = baseline;
    for (let round = 1; round <= ROUNDS && peak - baseline < MIN_CLIMB_MB; round++) {
      await load({ url: stack.inventoryUrl, token: stack.token, connections: 128 * round, perRequest: 50, durationMs: 3000, maxRequests: 50_000 * round, history, skuPrefix: `ABC-mem${round}-`, backoffMs: 20 });
      peak = Math.max(peak, stack.rss.peak("inventory", started, Date.now()), rssMb(inventory.pid));
    }
    assert.ok((history.answers.get("202") ?? 0) > 0, "the burst was accepted");
    t.diagnostic(`baseline ${baseline.toFixed(0)} MB, peak ${peak.toFixed(0)} MB`);
    assert.ok(peak - baseline >= MIN_CLIMB_MB, `${ROUNDS} burst rounds grew RSS by ${(peak - baseline).toFixed(0)} MB only (need ${MIN_CLIMB_MB}): nothing to give back, so the release cannot be checked`);
    if (idle === "1") {
      const line = await inventory.waitFor(/"memory\.released"/, 15_000);
      const logged = JSON.parse(line) as { rssBeforeMb: number; rssAfterMb: number; gcMs: number };
      const after = rssMb(inventory.pid);
      t.diagnostic(`released: ${logged.rssBeforeMb} -> ${logged.rssAfterMb} MB in a ${logged.gcMs} ms GC; now ${after.toFixed(0)} MB`);
      // At least half of what the burst took is back, and the log says what the process measured.
      assert.ok(after < baseline + (peak - baseline) / 2, `RSS ${after.toFixed(0)} MB after the release; baseline ${baseline.toFixed(0)}, peak ${peak.toFixed(0)}`);
      assert.ok(logged.rssAfterMb < logged.rssBeforeMb - 20, `logged ${logged.rssBeforeMb} -> ${logged.rssAfterMb} MB`);
    } else {
      // The control: no event to wait for, since nothing must happen; 4 s is four times the idle window the release would need.
      await setTimeout(4000);
      const after = rssMb(inventory.pid);
      t.diagnostic(`4 s idle: ${after.toFixed(0)} MB`);
      assert.ok(after > baseline + (peak - baseline) / 2, `without the release RSS stays near the peak (${after.toFixed(0)} MB)`);
      assert.ok(!inventory.lines.some((l) => l.includes("memory.released")), "0 turns the release off");
    }
  });
}
