// The short versions of the fault scenarios (npm run faults runs the full
// ones): real processes against the emulator; each must lose no
// acknowledged update, leave nothing invisible, and pass its own checks.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runScenario, type Scenario } from "../../scripts/faults/scenario.ts";
import { ALL, BACKGROUND } from "../../scripts/faults/scenarios.ts";
import { check, decisionPairs, History } from "../../scripts/faults/history.ts";
import { overload } from "../../scripts/faults/scenarios-abuse.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const built = existsSync(join(ROOT, "dist", "inventory.mjs")) && existsSync(join(ROOT, "dist", "pricing.mjs"));

test("decisionPairs reads (sku, version) from one decision, a CloudEvent, or a batch of either", () => {
  assert.deepEqual(decisionPairs('{"type":"price.decided","sku":"A","version":3,"price":1}'), [{ sku: "A", version: 3 }]);
  const events = [
    { specversion: "1.0", id: "1", source: "pricing", type: "io.stockprice.price.decided.v1", data: { sku: "A", version: 1 } },
    { specversion: "1.0", id: "2", source: "pricing", type: "io.stockprice.price.decided.v1", data: { sku: "B", version: "7" } },
  ];
  assert.deepEqual(decisionPairs(JSON.stringify(events)), [{ sku: "A", version: 1 }, { sku: "B", version: 7 }]);
  assert.deepEqual(decisionPairs("not json"), []);
  assert.deepEqual(decisionPairs('{"sku":"A"}'), []);
});

test("the checker: an update still stored in the queue is a backlog, not a loss; one nowhere is lost", () => {
  const h = new History();
  h.answer("202", [{ sku: "A", version: 1 }, { sku: "B", version: 1 }, { sku: "C", version: 1 }]);
  h.decision(JSON.stringify({ sku: "A", version: 1 }));
  h.stillQueued(JSON.stringify([{ specversion: "1.0", id: "x", data: { sku: "B", version: 1 } }]));
  const v = check(h);
  assert.deepEqual({ decided: v.decided, queued: v.queued, lost: v.lost, lostExamples: v.lostExamples }, { decided: 1, queued: 1, lost: 1, lostExamples: ["C@1"] });
});

test("fault (short): a backlog left when the settle window closes is read back after a graceful stop: none lost, none invisible", { timeout: 120_000 }, async (t) => {
  if (!built) return t.skip("dist bundles not built (npm test builds them first)");
  // Pricing is down during the load. The pricing started after it cannot receive: the proxy
  // holds the answers of its receives until it logs the start of its graceful stop. So the
  // settle window always closes on the whole load as a backlog, however fast the machine, and
  // what those receives bring arrives during the stop, which must release it (visibility 0).
  let holding = false;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const stalled: Scenario = {
    ...overload,
    stack: (scale) => ({ ...overload.stack(scale), proxy: { holdAnswerMs: (c) => (holding && c.action === "ReceiveMessage" ? gate : 0) } }),
    settleTimeoutMs: () => 0,
    async run(ctx) {
      await ctx.stack.pricing?.stop("SIGTERM");
      await overload.run(ctx);
      holding = true;
      // A long poll of 10 s keeps the held receives well inside the stop's bound (10 s + 2 s).
      const pricing = await ctx.stack.startPricing({ RECEIVE_WAIT_S: "10" });
      void pricing.waitFor(/"shutdown\.start"/, 120_000).then(openGate, openGate);
    },
  };
  const row = await runScenario(stalled, "short");
  assert.ok(row.queued > 0, "the backlog path ran: updates were read back from the queue");
  t.diagnostic(`202: ${row.accepted}, decided: ${row.decided}, queued: ${row.queued}; ${row.notes}`);
  assert.equal(row.lost, 0, `lost: ${row.lostExamples.join(", ")}`);
  assert.equal(row.invisible, 0, "left invisible after the graceful stop");
  assert.equal(row.decided + row.queued, row.accepted, "every acknowledged update is decided or still stored");
  // Only the accounting is under test here; the overload's own memory checks run in the scenario above.
  assert.deepEqual(row.failures.filter((f) => /lost|invisible|settle/.test(f)), []);
});

for (const scenario of [...ALL, ...BACKGROUND]) {
  test(`fault (short): ${scenario.name}`, { timeout: 120_000 }, async (t) => {
    if (!built) return t.skip("dist bundles not built (npm test builds them first)");
    const row = await runScenario(scenario, "short");
    t.diagnostic(`202: ${row.accepted}, other: ${row.others}, decided: ${row.decided}, duplicates: ${row.duplicates}, DLQ: ${row.inDlq}, settle ${row.settleMs} ms; ${row.notes}`);
    assert.equal(row.lost, 0, `lost: ${row.lostExamples.join(", ")}`);
    assert.equal(row.invisible, 0, "left invisible");
    assert.deepEqual(row.failures, []);
  });
}
