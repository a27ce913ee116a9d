// KEDA per environment, as planned: env.hcl's keda_enabled decides both the
// IAM (irsa: the operator's role, the pricing role's trust of it) and the
// pipeline's render (PRICING_SCALING = keda renders the ScaledObject and
// drops the fixed replica count). The controllers unit, which installs KEDA,
// is not planned here (helm); test/delivery/keda-target.test.ts checks it
// takes the same flag.

import assert from "node:assert/strict";
import type { PlanCheck } from "./types.ts";

const kedaEnabled = (locals: Record<string, unknown>): boolean => (locals.env as { keda_enabled?: boolean }).keda_enabled === true;

export const checks: PlanCheck[] = [
  {
    name: "pipeline plan: the build renders pricing's ScaledObject (PRICING_SCALING = keda) exactly where env.hcl enables KEDA",
    units: "*/pipeline",
    check(plan, unit) {
      const vars = plan.one("aws_codebuild_project.this").environment[0].environment_variable as Array<{ name: string; value: string }>;
      const scaling = vars.find((v) => v.name === "PRICING_SCALING")?.value;
      assert.equal(scaling, kedaEnabled(unit.locals) ? "keda" : "fixed", `live/${unit.id}: PRICING_SCALING`);
    },
    broken: [
      { name: "KEDA on, the build renders a fixed count", edit: (j) => { const p = j.resource_changes!.find((c) => c.address === "aws_codebuild_project.this")!; for (const v of p.change.after!.environment[0].environment_variable) if (v.name === "PRICING_SCALING") v.value = "fixed"; } },
    ],
  },
  {
    name: "irsa plan: KEDA's operator role exists and the pricing role trusts it exactly where env.hcl enables KEDA",
    units: "*/irsa",
    check(plan, unit) {
      const on = kedaEnabled(unit.locals);
      assert.equal(plan.has("module.keda[0].aws_iam_role.this"), on, `live/${unit.id}: KEDA operator role`);
      const trust = plan.statements('module.role["pricing"].data.aws_iam_policy_document.trust');
      assert.equal(trust.some((s) => s.sid === "KedaOperator"), on, `live/${unit.id}: pricing role trusts KEDA's operator`);
    },
    broken: [{ name: "KEDA on, no operator role", edit: (j) => { j.resource_changes = j.resource_changes!.filter((c) => c.address !== "module.keda[0].aws_iam_role.this"); } }],
  },
];
