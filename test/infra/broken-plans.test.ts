// The checks that need a real plan are seen to fail too. One copy of the
// repository holds every break below (each in its own module), and the plan
// harness runs once on it, with only the module tests and units the breaks
// concern; then each case's terraform test must fail with its message, and
// each named plan check must throw on the broken unit's plan.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { edit } from "../helpers/break.ts";
import { ROOT } from "../helpers/infra-checks.ts";
import { widenTrust } from "../helpers/lb-controller-trust.ts";
import { runInfra, terraformUnavailable, type InfraRun } from "../helpers/terraform.ts";
import { loadChecks } from "./plan-checks/types.ts";

interface BrokenPlan {
  name: string;
  module: string;
  /** Breaks the copy of modules/<module> in `dir`. */
  breakIt: (dir: string) => void;
  /** Own test files of the module that must fail, with the error messages they must report. */
  tests: Record<string, string[]>;
  /** Plan checks (by name prefix) that must throw on these units' plans. */
  checks?: { units: string[]; name: string };
}

const cases: BrokenPlan[] = [
  {
    name: "the load balancer controller's role trusting another ServiceAccount",
    module: "lb-controller",
    breakIt: widenTrust,
    tests: {},
    checks: { units: ["dev/lb-controller"], name: "lb-controller plan: the role trusts only" },
  },
  {
    name: "a service alarm without OK actions",
    module: "observability",
    breakIt: (d) => edit(join(d, "alarms.tf"), /^  ok_actions          = local.actions\n/m, ""),
    tests: { "plan.tftest.hcl": ["every alarm must notify the topic on ALARM and on OK"] },
    checks: { units: ["dev/observability"], name: "every planned alarm has alarm and OK actions" },
  },
  {
    name: "a control-plane log group without retention and a Fargate role without PutLogEvents",
    module: "eks",
    breakIt: (d) => {
      edit(join(d, "logging.tf"), "  retention_in_days = var.log_retention_days\n", "");
      edit(join(d, "logging.tf"), '      "logs:PutLogEvents",\n', "");
    },
    tests: { "access.tftest.hcl": ["the control-plane group must have a retention", "the pod execution role needs every action"] },
  },
  {
    name: "pager subscriptions not all taken from the variable",
    module: "alarms",
    breakIt: (d) => edit(join(d, "subscriptions.tf"), "in var.pager_subscriptions : \"${s.protocol}:${s.endpoint}\" => s }", 'in var.pager_subscriptions : "${s.protocol}:${s.endpoint}" => s if s.protocol == "https" }'),
    tests: { "routing.tftest.hcl": ["one subscription per entry of pager_subscriptions"] },
  },
  {
    name: "a log group without retention",
    module: "pipeline",
    breakIt: (d) => edit(join(d, "logs.tf"), /(resource "aws_cloudwatch_log_group" "deploy" \{\n  name              = local.log_groups.deploy\n)  retention_in_days = var.log_retention_days\n/, "$1"),
    tests: { "logs.tftest.hcl": ["the build and deploy log groups must have a retention"] },
    checks: { units: ["dev/pipeline"], name: "every planned log group has a retention" },
  },
];

const unavailable = terraformUnavailable();
const copy = mkdtempSync(join(tmpdir(), "broken-plans-"));
after(() => rmSync(copy, { recursive: true, force: true }));

let run: Promise<InfraRun> | undefined;
if (unavailable === undefined) {
  cpSync(join(ROOT, "live"), join(copy, "live"), { recursive: true });
  // The role every IRSA module calls (../irsa-role), unbroken.
  cpSync(join(ROOT, "modules", "irsa-role"), join(copy, "modules", "irsa-role"), { recursive: true, filter: (p) => !p.includes(".terraform") });
  for (const c of cases) {
    const dir = join(copy, "modules", c.module);
    cpSync(join(ROOT, "modules", c.module), dir, { recursive: true, filter: (p) => !p.includes(".terraform") });
    c.breakIt(dir);
  }
  run = runInfra(copy, {
    envs: ["dev", "prod"],
    units: cases.flatMap((c) => c.checks?.units ?? []),
    tests: cases.flatMap((c) => Object.keys(c.tests).map((f) => `${c.module}/${f}`)),
    validate: false,
  });
  run.catch(() => undefined);
}
const checks = await loadChecks();

for (const c of cases) {
  for (const [file, messages] of Object.entries(c.tests)) {
    test(`modules/${c.module}: tests/${file} fails on ${c.name}`, async (t) => {
      if (!run) return t.skip(unavailable);
      const outcome = (await run).modules.get(c.module)?.tests[file];
      assert.equal(outcome?.status, "fail", `tests/${file} did not fail: ${JSON.stringify(outcome)}`);
      for (const m of messages) assert.ok(outcome.status === "fail" && outcome.detail.includes(m), `not reported as "${m}":\n${outcome.status === "fail" ? outcome.detail : ""}`);
    });
  }
  if (!c.checks) continue;
  const { units, name } = c.checks;
  test(`plan check "${name}..." fails on ${c.name}`, async (t) => {
    if (!run) return t.skip(unavailable);
    const check = checks.find((k) => k.name.startsWith(name));
    assert.ok(check, `no plan check named ${name}`);
    const done = await run;
    for (const id of units) {
      const r = done.units.get(id);
      assert.ok(r?.plan, `live/${id} did not plan on the broken copy: ${JSON.stringify(r?.outcome)}`);
      assert.throws(() => check.check(r.plan!, r.unit), Error, `live/${id}: the check passed on ${c.name}`);
    }
  });
}
