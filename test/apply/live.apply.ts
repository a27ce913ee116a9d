// The apply tier (npm run test:apply; not part of npm test): every unit of
// live/dev and live/prod applied against moto with the real outputs of the
// units before it, planned again (no changes allowed), and destroyed in
// reverse order, prod's prevent_destroy resources refusing first
// (test/helpers/apply.ts). Units are found from live/<env>/*/terragrunt.hcl,
// so a new unit is covered without editing this file. Without terraform, a
// provider (mirror or registry) or moto, every test is skipped naming what
// is missing.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test, type TestContext } from "node:test";
import { AFTER_FIRST_DEPLOY } from "../helpers/after-deploy.ts";
import { AGAIN_AFTER_DESTROY, applyEnvironments, type ApplyRun, type UnitApply } from "../helpers/apply.ts";
import { PLANS_NOTHING, ROOT } from "../helpers/infra-checks.ts";
import { motoUnavailable, startMoto, type Moto } from "../helpers/moto.ts";
import { providerSource, terraformUnavailable, terraformVersion } from "../helpers/terraform.ts";
import { resolveUnits } from "../helpers/terragrunt.ts";
import { LEFT_OUT } from "./left-out.ts";

// APPLY_ENVS narrows the run while working on one environment ("dev").
const ENVS = process.env.APPLY_ENVS ? process.env.APPLY_ENVS.split(",") : ["dev", "prod"];
const started = performance.now();
// APPLY_UNITS ("dev/network,dev/queue") narrows it further; list the dependencies too.
const ONLY = process.env.APPLY_UNITS?.split(",");
const units = (await resolveUnits(ROOT)).filter((u) => ENVS.includes(u.env) && (!ONLY || ONLY.includes(u.id))).sort((a, b) => a.id.localeCompare(b.id));
// Terraform's version is pinned once, in live/root.hcl (generate "versions"); the tier runs only that one.
const pinned = /required_version\s*=\s*"(\d+\.\d+\.\d+)"/.exec(units.flatMap((u) => Object.values(u.generated)).join("\n"))?.[1];
const wrongTerraform = pinned && terraformVersion() && terraformVersion() !== pinned ? `the live layer pins terraform ${pinned} (live/root.hcl); this machine has ${terraformVersion()}` : undefined;
const unavailable = terraformUnavailable() ?? wrongTerraform ?? motoUnavailable();
const work = mkdtempSync(join(tmpdir(), "tf-apply-"));
let moto: Moto | undefined;

/** Units that need a provider other than aws are not applied: moto is AWS only, and no Helm provider is available to the tier. */
function skipReason(needed: Set<string>): string | undefined {
  const other = [...needed].filter((p) => !p.endsWith("/hashicorp/aws"));
  return other.length ? `needs ${other.join(", ")} and a Kubernetes API server; moto emulates AWS only, so a Helm release is proven only in a real account` : undefined;
}

async function runTier(): Promise<ApplyRun> {
  const source = providerSource();
  if ("reason" in source) throw new Error(source.reason);
  const buckets = [...new Set(units.map((u) => `stockprice-tfstate-${(u.locals.account as Record<string, string>).account_id}-${(u.locals.region as Record<string, string>).aws_region}`))];
  const accountOf = (b: string) => /-(\d{12})-/.exec(b)![1];
  // The account's own roles that env.hcl names (admins, on-call) exist before any apply; npm run preflight checks that.
  const roles = [...new Set(units.flatMap((u) => ["admin_role_arns", "oncall_role_arns"].flatMap((k) => ((u.locals.env as Record<string, unknown>)?.[k] ?? []) as string[])))];
  moto = await startMoto([...buckets.map((b) => `${b}:${accountOf(b)}:eu-west-1`), ...roles], join(work, "moto.log"));
  try {
    return await applyEnvironments(ROOT, work, moto.endpoint, source, { envs: ENVS, units: ONLY, skip: (_u, needed) => skipReason(needed) });
  } finally {
    await moto.stop();
  }
}

const tier: Promise<ApplyRun> | undefined = unavailable === undefined ? runTier() : undefined;
tier?.catch(() => undefined);
after(async () => {
  await moto?.stop();
  if (!process.env.APPLY_KEEP_WORK) rmSync(work, { recursive: true, force: true });
});

async function result(t: TestContext, id: string): Promise<UnitApply | undefined> {
  if (!tier) {
    t.skip(unavailable);
    return undefined;
  }
  const r = (await tier).units.get(id)!;
  if (r.skipped) {
    t.skip(r.skipped);
    return undefined;
  }
  return r;
}

for (const u of units) {
  test(`live/${u.id}: applied against moto with real dependency outputs, planned again with no changes, destroyed`, async (t) => {
    const r = await result(t, u.id);
    if (!r) return;
    if (r.error) assert.fail(`live/${u.id}: ${r.error}`);
    if (PLANS_NOTHING[u.id]) assert.equal(r.applied, 0, `live/${u.id} was expected to apply nothing: ${PLANS_NOTHING[u.id]}`);
    else assert.ok(r.applied! > 0, `live/${u.id} applied no resource`);
    assert.equal(r.replan, "", `live/${u.id}: the plan after apply is not empty:\n${r.replan}`);
    assert.equal(r.remaining, 0, `live/${u.id}: ${r.remaining} resources left after destroy`);
  });
}

for (const u of units.filter((x) => Object.keys(x.generated).some((p) => p.startsWith("prevent_destroy")))) {
  test(`live/${u.id}: destroy refuses while the prevent_destroy overrides are in place`, async (t) => {
    const r = await result(t, u.id);
    if (!r) return;
    assert.ok(r.refused, `live/${u.id}: destroy did not refuse on prevent_destroy${r.error ? `: ${r.error}` : ""}`);
    t.diagnostic(r.refused);
  });
}

for (const u of units.filter((x) => AGAIN_AFTER_DESTROY[x.module] && !Object.keys(x.generated).some((p) => p.startsWith("prevent_destroy")))) {
  test(`live/${u.id}: applied again right after its destroy, as after a teardown (${AGAIN_AFTER_DESTROY[u.module]})`, async (t) => {
    const r = await result(t, u.id);
    if (!r) return;
    if (r.error) assert.fail(`live/${u.id}: ${r.error}`);
    assert.equal(r.again, "", `live/${u.id}: ${r.again}`);
  });
}

for (const u of units.filter((x) => AFTER_FIRST_DEPLOY[x.module])) {
  test(`live/${u.id}: applied again after the first deploy (${AFTER_FIRST_DEPLOY[u.module].why}), planned again with no changes`, async (t) => {
    const r = await result(t, u.id);
    if (!r) return;
    if (r.error) assert.fail(`live/${u.id}: ${r.error}`);
    assert.equal(r.afterDeploy, "", `live/${u.id}: ${r.afterDeploy}`);
  });
}

test("left out of the apply (proven only in a real account): the table in test/apply/left-out.ts, as docs/deploy-aws.md shows it", async (t) => {
  const rows = Object.entries(LEFT_OUT).flatMap(([m, list]) => list.map((l) => `| ${m} | \`${l.resource}\` | ${l.api} | ${l.why} |`));
  for (const row of ["| module | resource | moto lacks | what it answers |", "| --- | --- | --- | --- |", ...rows]) t.diagnostic(row);
  const doc = readFileSync(join(ROOT, "docs", "deploy-aws.md"), "utf8");
  for (const row of rows) assert.ok(doc.includes(row), `docs/deploy-aws.md ("Proven only in a real account") lacks the row:\n${row}`);
  if (!tier) return;
  await tier;
});

test("per unit: resources applied, second plan, destroyed, left out; and the wall time", async (t) => {
  if (!tier) return t.skip(unavailable);
  const run = await tier;
  t.diagnostic("| unit | resources applied | second plan clean | destroyed | left out | seconds (apply, plan, destroy) |");
  for (const r of [...run.units.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const cells = r.skipped
      ? ["skipped", "-", "-", r.skipped, "-"]
      : [String(r.applied ?? "failed"), r.replan === undefined ? "-" : r.replan === "" ? "yes" : "NO", r.destroyed ? (r.refused ? "yes (refused first: prevent_destroy)" : "yes") : "NO", r.leftOut.join(", ") || "-", ["apply", "plan", "destroy"].map((k) => (r.steps[k] ?? 0).toFixed(0)).join(", ")];
    t.diagnostic(`| live/${r.id} | ${cells.join(" | ")} |`);
  }
  t.diagnostic(`apply, second plan and destroy of ${ENVS.join(" and ")}: ${run.seconds.toFixed(0)} s wall (${((performance.now() - started) / 1000).toFixed(0)} s since this file started)`);
  assert.equal(run.units.size, units.length);
});
