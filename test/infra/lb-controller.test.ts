// The load balancer controller's Terraform, read from the HCL: the IRSA
// trust of its role, and the release wired to that role. The trust as
// planned with each unit's inputs is a plan check
// (plan-checks/lb-controller.ts, seen failing in broken-plans.test.ts); the
// Helm unit's plan is reported skipped by plan.test.ts, naming hashicorp/helm.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { blocksOf, readModule, readUnits, type Hcl } from "../helpers/hcl.ts";
import { ROOT } from "../helpers/infra-checks.ts";
import { trustProblems, widenTrust } from "../helpers/lb-controller-trust.ts";

describe("the controller role trusts only its ServiceAccount", () => {
  test("from the HCL: one statement, the OIDC provider, sub and aud exactly", async () => {
    assert.deepEqual(await trustProblems(ROOT), []);
  });

  test("a broken copy fails: the role trusts kube-system's default ServiceAccount", async () => {
    const root = mkdtempSync(join(tmpdir(), "lbc-"));
    try {
      for (const m of ["lb-controller", "irsa-role"]) cpSync(join(ROOT, "modules", m), join(root, "modules", m), { recursive: true });
      widenTrust(join(root, "modules", "lb-controller"));
      assert.ok((await trustProblems(root)).some((p) => p.startsWith("subject system:serviceaccount:kube-system:default")));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the Helm release", () => {
  test("installs a pinned chart with the role on the trusted ServiceAccount, on Fargate", async () => {
    const rel = await readModule(ROOT, "lb-controller-release");
    const iam = await readModule(ROOT, "lb-controller");
    assert.match(String(rel.variables.chart_version.default), /^\d+\.\d+\.\d+$/);
    assert.equal(rel.variables.namespace.default, iam.variables.namespace.default);
    assert.equal(rel.variables.service_account.default, iam.variables.service_account.default);
    const values = rel.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]).find((l) => l.values)?.values as Hcl;
    assert.deepEqual(values.serviceAccount, { create: true, name: "${var.service_account}", annotations: { "eks.amazonaws.com/role-arn": "${var.role_arn}" } });
    assert.deepEqual([values.clusterName, values.region, values.vpcId], ["${var.cluster_name}", "${var.region}", "${var.vpc_id}"], "Fargate has no instance metadata");
    assert.deepEqual([values.enableWaf, values.enableShield, values.enableWafv2], [false, false, true], "only what the IAM policy grants");
    assert.equal(values.enableServiceMutatorWebhook, false, "no admission webhook on every Service create: nothing here is a LoadBalancer Service");
    const release = blocksOf(rel, "resource", "helm_release").this;
    assert.equal(release.version, "${var.chart_version}");
    const profile = blocksOf(iam, "resource", "aws_eks_fargate_profile").this;
    assert.deepEqual(profile.selector[0], { namespace: "${var.namespace}", labels: { "app.kubernetes.io/name": "aws-load-balancer-controller" } });
  });

  test("its units depend on the cluster and on the controller's role, and take the trusted names from it", async () => {
    const units = (await readUnits(ROOT)).filter((u) => u.module === "lb-controller-release");
    assert.deepEqual(units.map((u) => u.env).sort(), ["dev", "prod"]);
    for (const u of units) {
      assert.deepEqual(u.dependencies.map((d) => d.target.split("/").pop()).sort(), ["eks", "lb-controller", "network"]);
      assert.equal(u.inputs.role_arn, "${dependency.lb_controller.outputs.role_arn}");
      assert.equal(u.inputs.service_account, "${dependency.lb_controller.outputs.service_account}");
      assert.equal(u.inputs.namespace, "${dependency.lb_controller.outputs.namespace}");
    }
  });
});
