// Every module validated, every unit of live/dev and live/prod planned with
// the inputs Terragrunt would pass, and every module's own terraform tests
// run, against the real hashicorp/aws provider from the local mirror
// (test/helpers/terraform.ts). Then the checks of test/infra/plan-checks/*.ts
// read the planned values. Without terraform or the mirror, all of it is
// reported as skipped, with the reason.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { listFiles, moduleNames } from "../helpers/hcl.ts";
import { PLANS_NOTHING, ROOT } from "../helpers/infra-checks.ts";
import { Plan, runInfra, terraformUnavailable, type InfraRun, type Outcome } from "../helpers/terraform.ts";
import { resolveUnits } from "../helpers/terragrunt.ts";
import { loadChecks, unitsMatching } from "./plan-checks/types.ts";

const unavailable = terraformUnavailable();
const units = (await resolveUnits(ROOT)).filter((u) => u.env === "dev" || u.env === "prod");
const modules = moduleNames(ROOT);
const started = performance.now();
const infra: Promise<InfraRun> | undefined = unavailable === undefined ? runInfra(ROOT, { envs: ["dev", "prod"] }) : undefined;
// A rejected run is reported by every test below, not as an unhandled rejection.
infra?.catch(() => undefined);

const checks = await loadChecks();

/** Reports an outcome; false when the test was skipped (t.skip does not stop it). */
function report(t: TestContext, o: Outcome): boolean {
  if (o.status === "skip") {
    t.skip(o.reason);
    return false;
  }
  if (o.status === "fail") assert.fail(o.detail);
  return true;
}

async function ready(t: TestContext): Promise<InfraRun | undefined> {
  if (!infra) {
    t.skip(unavailable);
    return undefined;
  }
  return infra;
}

for (const m of modules) {
  test(`modules/${m}: terraform init and validate against the real provider`, async (t) => {
    const run = await ready(t);
    if (run) report(t, run.modules.get(m)!.validate);
  });
  for (const f of listFiles(join(ROOT, "modules", m, "tests"), /\.tftest\.hcl$/)) {
    const name = f.slice(join(ROOT, "modules", m, "tests").length + 1);
    test(`modules/${m}: terraform test tests/${name}`, async (t) => {
      const run = await ready(t);
      if (run) report(t, run.modules.get(m)!.tests[name] ?? { status: "fail", detail: "not run" });
    });
  }
}

for (const u of units) {
  test(`live/${u.id}: plans against the real provider with the unit's inputs`, async (t) => {
    const run = await ready(t);
    if (!run) return;
    const r = run.units.get(u.id)!;
    if (!report(t, r.outcome)) return;
    assert.ok(r.plan, `live/${u.id} has no plan`);
    const empty = PLANS_NOTHING[u.id];
    if (empty) {
      assert.equal(r.plan.resources.length, 0, `live/${u.id} was expected to plan nothing: ${empty}`);
      t.diagnostic(`plans no resource: ${empty}`);
    } else {
      assert.ok(r.plan.resources.length > 0, `live/${u.id} plans no resource`);
    }
  });
}

for (const c of checks) {
  test(c.name, async (t) => {
    const run = await ready(t);
    if (!run) return;
    const targets = unitsMatching(c.units, units.map((u) => u.id));
    assert.ok(targets.length > 0, `no unit matches ${c.units}`);
    const skipped: string[] = [];
    for (const id of targets) {
      const r = run.units.get(id)!;
      if (r.outcome.status === "skip") skipped.push(`${id}: ${r.outcome.reason}`);
      else if (!r.plan) assert.fail(`live/${id} did not plan, so this cannot be checked`);
      else c.check(r.plan, r.unit);
    }
    if (skipped.length === targets.length) t.skip(skipped.join("; "));
  });
}

// A check's own broken copies edit this run's plan JSON in memory (no
// terraform); breaks that need Terraform to plan a broken module are in
// broken-plans.test.ts, which plans once on one broken copy of the tree.
for (const c of checks) {
  for (const b of c.broken ?? []) {
    test(`${c.name} — fails on a broken copy: ${b.name}`, async (t) => {
      const run = await ready(t);
      if (!run) return;
      const id = unitsMatching(c.units, units.map((u) => u.id)).find((x) => run.units.get(x)?.plan);
      if (!id) return t.skip(`no planned unit matches ${c.units}`);
      const r = run.units.get(id)!;
      const json = structuredClone(r.plan!.json);
      const unit = structuredClone(r.unit);
      b.edit(json, unit);
      assert.throws(() => c.check(new Plan(json), unit), `live/${id}: the check passed a broken copy (${b.name})`);
    });
  }
}

test("planned resources per unit, and the time the plans took", async (t) => {
  const run = await ready(t);
  if (!run) return;
  const rows = [...run.units.values()].sort((a, b) => a.unit.id.localeCompare(b.unit.id));
  t.diagnostic("| unit | module | planned resources |");
  for (const r of rows) t.diagnostic(`| live/${r.unit.id} | ${r.unit.module} | ${r.plan ? r.plan.resources.length : r.outcome.status} |`);
  for (const m of run.modules.values()) t.diagnostic(`modules/${m.name}: ${m.seconds.toFixed(1)} s (init, validate, tests, plans)`);
  t.diagnostic(`all modules and units: ${run.seconds.toFixed(1)} s wall (${((performance.now() - started) / 1000).toFixed(1)} s since this file started)`);
  assert.equal(rows.length, units.length);
});
