// The short versions of the fault scenarios (npm run faults runs the full
// ones): real processes against the emulator; each must lose no
// acknowledged update, leave nothing invisible, and pass its own checks.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runScenario } from "../../scripts/faults/scenario.ts";
import { ALL, BACKGROUND } from "../../scripts/faults/scenarios.ts";
import { decisionPairs } from "../../scripts/faults/history.ts";

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
