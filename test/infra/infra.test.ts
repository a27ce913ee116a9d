// Offline checks of the Terraform modules and the Terragrunt live layer.
// Nothing here can reach AWS or download the provider, so structure is
// checked by parsing with HashiCorp's parser and asserting on the result.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DEFAULT_MAX_RECEIVE_COUNT, K8S, QUEUE_NAMES } from "../../src/shared/names.ts";
import { blocksOf, listFiles, moduleNames, readModule, readUnits, type Hcl } from "../helpers/hcl.ts";
import { parse as parseYaml } from "yaml";
import { alarmProblems, cacheProblems, graphProblems, irsaActions, moduleProblems, providerBoundProblems, queueNames, ROOT, terraformAvailable, unformatted, unparseable, wildcardGrants } from "../helpers/infra-checks.ts";
import { sqsActionsUsedBy } from "../helpers/sqs-actions.ts";

test("terraform fmt -check passes on modules and live", (t) => {
  if (!terraformAvailable()) return t.skip("terraform is not installed here: formatting not checked");
  assert.deepEqual(unformatted(ROOT), []);
});

test("every .tf and .hcl file parses", async () => {
  assert.ok(listFiles(join(ROOT, "modules"), /\.tf$/).length >= 28);
  assert.ok(listFiles(join(ROOT, "live"), /\.hcl$/).length >= 20);
  assert.deepEqual(await unparseable(ROOT), []);
});

/** The design's modules; later features add folders beside them (listed by moduleNames). */
const CORE_MODULES = ["alarms", "autoscaler", "controllers-release", "ecr", "eks", "irsa", "network", "pipeline", "queue", "state-bucket", "tokens"];

test("every module has the five files; variables have description and type; outputs a description", async () => {
  const modules = moduleNames(ROOT);
  for (const m of CORE_MODULES) assert.ok(modules.includes(m), `modules/${m} is missing`);
  assert.deepEqual(await moduleProblems(ROOT), []);
});

test("Terragrunt: every module has one unit in dev and one in prod, the same units in both", async () => {
  const units = await readUnits(ROOT);
  // A module other modules call (source = "../<name>", e.g. irsa-role) is deployed through them, not as a unit.
  const called = new Set<string>();
  for (const name of moduleNames(ROOT)) {
    for (const b of (await readModule(ROOT, name)).blocks) for (const [c] of Object.values((b.module ?? {}) as Record<string, Hcl[]>)) called.add(String(c.source).replace("../", ""));
  }
  const modules = moduleNames(ROOT).filter((m) => !called.has(m));
  assert.ok(modules.length > 0 && !modules.includes("irsa-role"), "irsa-role is called by the modules that need a role, not deployed alone");
  for (const env of ["dev", "prod"]) {
    const own = units.filter((u) => u.env === env);
    assert.deepEqual(own.map((u) => u.module).sort(), modules, `live/${env}: one unit per folder of modules/`);
    assert.deepEqual(own.map((u) => u.name).sort(), units.filter((u) => u.env === "dev").map((u) => u.name).sort(), `live/${env} and live/dev have the same units`);
  }
  assert.equal(units.length, 2 * modules.length);
});

test("Terragrunt: no cycle, dependencies exist, mocks match real outputs, inputs match variables", async () => {
  assert.deepEqual(await graphProblems(ROOT), []);
});

test("IRSA policies grant exactly the SQS calls each service's code makes", async () => {
  const granted = await irsaActions(ROOT);
  const inventory = await sqsActionsUsedBy(ROOT, "src/inventory.ts");
  const pricing = await sqsActionsUsedBy(ROOT, "src/pricing.ts");
  assert.deepEqual([...granted.inventory].sort(), [...inventory].sort());
  assert.deepEqual([...granted.pricing].sort(), [...pricing].sort());
  assert.ok(inventory.has("sqs:SendMessage") && pricing.has("sqs:ReceiveMessage"), "the derivation found the calls");
});

test("with KEDA the pricing role gets exactly what KEDA's aws-sqs-queue scaler calls: sqs:GetQueueAttributes", async () => {
  assert.deepEqual([...(await irsaActions(ROOT)).keda], ["sqs:GetQueueAttributes"]);
});

test("every module asks for an aws provider that has everything it uses", async () => {
  assert.deepEqual(await providerBoundProblems(ROOT), []);
});

test("buildspec.yml's cache and the CodeBuild project's cache agree", async () => {
  const spec = parseYaml(readFileSync(join(ROOT, "buildspec.yml"), "utf8")) as { cache?: { paths?: string[] } };
  assert.ok((spec.cache?.paths ?? []).length > 0, "the buildspec caches the npm cache");
  assert.deepEqual(await cacheProblems(ROOT, spec), []);
});

test("no IAM policy grants a * action or resource (ecr:GetAuthorizationToken excepted)", async () => {
  assert.deepEqual(await wildcardGrants(ROOT), []);
});

test("IRSA trust is limited to the exact ServiceAccounts and the STS audience", async () => {
  const m = await readModule(ROOT, "irsa");
  const role = await readModule(ROOT, "irsa-role");
  const trust = blocksOf(role, "data", "aws_iam_policy_document").trust.statement[0];
  const conds = Object.fromEntries((trust.condition as Hcl[]).map((c) => [c.variable, c]));
  assert.deepEqual(conds["${local.issuer}:sub"].values, ["system:serviceaccount:${var.namespace}:${var.service_account}"]);
  const call = m.blocks.flatMap((b) => (b.module?.role ?? []) as Hcl[])[0];
  assert.deepEqual([call.source, call.namespace, call.service_account], ["../irsa-role", "${var.namespace}", "${each.value}"]);
  const subjects = m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]).find((l) => l.subjects)?.subjects;
  assert.deepEqual(subjects, { inventory: "${var.inventory_service_account}", pricing: "${var.pricing_service_account}" });
  assert.equal(conds["${local.issuer}:sub"].test, "StringEquals");
  assert.deepEqual(conds["${local.issuer}:aud"].values, ["sts.amazonaws.com"]);
  assert.equal(m.variables.namespace.default, K8S.namespace);
  assert.equal(m.variables.inventory_service_account.default, K8S.inventory.serviceAccount);
  assert.equal(m.variables.pricing_service_account.default, K8S.pricing.serviceAccount);
});

test("the backlog alarm: ApproximateNumberOfMessagesVisible > 50 for 5 minutes, alarm and OK to SNS", async () => {
  assert.deepEqual(await alarmProblems(ROOT), []);
});

test("queue names in Terraform are the ones the services and the local stack use", async () => {
  assert.deepEqual(await queueNames(ROOT), { ...QUEUE_NAMES });
  const m = await readModule(ROOT, "queue");
  assert.equal(m.variables.max_receive_count.default, DEFAULT_MAX_RECEIVE_COUNT);
});

test("EKS: no Fargate Spot; pricing on a SPOT node group tainted for pricing, inventory on a Fargate profile", async () => {
  const m = await readModule(ROOT, "eks");
  const ng = blocksOf(m, "resource", "aws_eks_node_group").pricing;
  assert.equal(ng.capacity_type, "SPOT");
  assert.deepEqual(ng.taint[0], { key: "stockprice.io/workload", value: "pricing", effect: "NO_SCHEDULE" });
  assert.ok(m.variables.spot_instance_types.default && (m.variables.spot_instance_types.default as string[]).length >= 3);
  const profiles = Object.assign({}, ...m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[])).fargate_profiles as Hcl;
  assert.deepEqual(profiles.inventory.selectors[0].labels, { "app.kubernetes.io/name": "inventory" });
  assert.ok(blocksOf(m, "resource", "aws_eks_fargate_profile").this, "one aws_eks_fargate_profile over the map");
  assert.doesNotMatch(readFileSync(join(ROOT, "modules", "eks", "main.tf"), "utf8"), /FARGATE_SPOT/i, "EKS has no Fargate Spot capacity provider");
});
