// Each infrastructure check is seen to fail: a copy of the repository is
// broken in one place per case and the check must report it.

import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { assertBreakReported, edit } from "../helpers/break.ts";
import { sqsActionsUsedBy } from "../helpers/sqs-actions.ts";
import { alarmProblems, cacheProblems, graphProblems, irsaActions, moduleProblems, providerBoundProblems, queueNames, ROOT, terraformAvailable, unformatted, unparseable, wildcardGrants } from "../helpers/infra-checks.ts";

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), "infra-broken-"));
  for (const d of ["modules", "live", "src"]) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

/** Runs `check` against a fresh copy of the repository, removed afterwards. */
async function withCopy(check: (dir: string) => unknown): Promise<void> {
  const dir = copy();
  try {
    await check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


/** Checks that need the terraform binary: skipped, never passed, without it. */
const NEEDS_TERRAFORM = new Set(["an unformatted file"]);

const cases: Array<[string, (dir: string) => void, (dir: string) => Promise<unknown[]> | unknown[]]> = [
  ["an unformatted file", (d) => appendFileSync(join(d, "modules/ecr/main.tf"), '\nlocals {\n      x   =    1\n}\n'), (d) => unformatted(d)],
  ["a file that does not parse", (d) => appendFileSync(join(d, "live/dev/queue/terragrunt.hcl"), "\ninputs = {\n"), (d) => unparseable(d)],
  ["a module without README.md", (d) => unlinkSync(join(d, "modules/ecr/README.md")), (d) => moduleProblems(d)],
  ["a variable without description", (d) => edit(join(d, "modules/ecr/variables.tf"), /  description = "Images kept[^\n]*\n/, ""), (d) => moduleProblems(d)],
  ["an output without description", (d) => edit(join(d, "modules/queue/outputs.tf"), /  description = "URL of inventory-update-dlq."\n/, ""), (d) => moduleProblems(d)],
  ["a dependency cycle", (d) => appendFileSync(join(d, "live/_envcommon/network.hcl"), '\ndependency "pipeline" {\n  config_path = "${get_terragrunt_dir()}/../pipeline"\n  mock_outputs = { pipeline_name = "x" }\n  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]\n}\n'), (d) => graphProblems(d)],
  ["a dependency path that does not exist", (d) => edit(join(d, "live/root.hcl"), "/../queue", "/../queues"), (d) => graphProblems(d)],
  ["a mock output the module does not declare", (d) => edit(join(d, "live/root.hcl"), "dlq_name             =", "dead_letter_name     ="), (d) => graphProblems(d)],
  ["mocks allowed for apply", (d) => edit(join(d, "live/root.hcl"), '["init", "validate", "plan"]', '["init", "validate", "plan", "apply"]'), (d) => graphProblems(d)],
  ["a unit that reads a dependency its needs leave disabled", (d) => edit(join(d, "live/root.hcl"), '"alarms"                = ["queue"]', '"alarms"                = []'), (d) => graphProblems(d)],
  ["a need the unit never reads", (d) => edit(join(d, "live/root.hcl"), '"tokens"                = ["irsa"]', '"tokens"                = ["irsa", "queue"]'), (d) => graphProblems(d)],
  ["an input that is not a variable", (d) => edit(join(d, "live/prod/env.hcl"), "expire_after_days", "expire_after_day"), (d) => graphProblems(d)],
  ["an env.hcl input that _envcommon also sets", (d) => edit(join(d, "live/prod/env.hcl"), "expire_after_days           = 365", 'expire_after_days           = 365\n      repositories                = ["inventory"]'), (d) => graphProblems(d)],
  ["env.hcl inputs for a unit that does not exist", (d) => edit(join(d, "live/prod/env.hcl"), "    network = {", "    networks = {"), (d) => graphProblems(d)],
  ["a required variable not passed", (d) => edit(join(d, "live/_envcommon/network.hcl"), /  azs  = local.region.azs\n/, ""), (d) => graphProblems(d)],
  ["a wildcard action", (d) => edit(join(d, "modules/irsa/main.tf"), '"sqs:SendMessage", "sqs:GetQueueUrl"]\n    resources = [var.inventory_queue_arn]', '"sqs:*"]\n    resources = [var.inventory_queue_arn]'), (d) => wildcardGrants(d)],
  ["a wildcard resource", (d) => edit(join(d, "modules/irsa/main.tf"), "resources = [var.price_queue_arn]", 'resources = ["*"]'), (d) => wildcardGrants(d)],
  ["a load balancer controller write action on * outside AWS's reference list", (d) => edit(join(d, "modules/lb-controller/main.tf"), '"elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",', '"elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:DeleteLoadBalancer",'), (d) => wildcardGrants(d)],
  ["the controller's reference list on * in another module", (d) => edit(join(d, "modules/irsa/main.tf"), "resources = [var.price_queue_arn]", 'resources = [var.price_queue_arn]\n  }\n  statement {\n    actions   = ["ec2:CreateSecurityGroup"]\n    resources = ["*"]'), (d) => wildcardGrants(d)],
  ["a backlog threshold other than 50", (d) => edit(join(d, "modules/alarms/variables.tf"), "default     = 50", "default     = 60"), (d) => alarmProblems(d)],
  ["a backlog window other than 5 minutes", (d) => edit(join(d, "modules/alarms/sqs-alarms.tf"), /period              = 60\n      evaluation_periods  = var.backlog_minutes/, "period              = 300\n      evaluation_periods  = var.backlog_minutes"), (d) => alarmProblems(d)],
  ["a provider bound older than the resources used", (d) => edit(join(d, "modules/pipeline/versions.tf"), ">= 5.81.0, < 7.0", ">= 5.40, < 7.0"), (d) => providerBoundProblems(d)],
  ["a buildspec cache the project ignores", (d) => edit(join(d, "modules/pipeline/main.tf"), /  cache \{\n    type     = "S3"\n[^\n]*\n  \}\n/, ""), (d) => cacheProblems(d, { cache: { paths: ["/root/.npm/**/*"] } })],
  ["network interfaces in any subnet", (d) => edit(join(d, "modules/pipeline/iam.tf"), /(sid       = "EksDeployEni"[\s\S]*?resources = \["\*"\]\n)\n    condition \{[^}]*\}\n/, "$1"), (d) => wildcardGrants(d)],
  ["kms:* for a service in a key policy", (d) => edit(join(d, "modules/alarms/main.tf"), 'actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]', 'actions   = ["kms:*"]'), (d) => wildcardGrants(d)],
  ["no OK notification", (d) => edit(join(d, "modules/alarms/sqs-alarms.tf"), /  ok_actions          = \[aws_sns_topic\.this\["alerts"\]\.arn\]\n/, ""), (d) => alarmProblems(d)],
];

for (const [name, breakIt, check] of cases) {
  test(`check fails on ${name}`, async (t) => {
    if (NEEDS_TERRAFORM.has(name) && !terraformAvailable()) return t.skip("terraform is not installed here");
    await assertBreakReported(ROOT, ["modules", "live", "src"], name, breakIt, check);
  });
}

test("check fails when the IRSA policy drops an action the code uses", () =>
  withCopy(async (dir) => {
    edit(join(dir, "modules/irsa/main.tf"), '"sqs:ChangeMessageVisibility", ', "");
    const granted = await irsaActions(dir);
    const used = await sqsActionsUsedBy(dir, "src/pricing.ts");
    assert.notDeepEqual([...granted.pricing].sort(), [...used].sort());
  }));

test("check fails when the code starts using a call the policy does not grant", () =>
  withCopy(async (dir) => {
    appendFileSync(join(dir, "src/inventory/service.ts"), '\nimport { PurgeQueueCommand } from "@aws-sdk/client-sqs";\nexport const purge = () => new PurgeQueueCommand({ QueueUrl: "" });\n');
    const used = await sqsActionsUsedBy(dir, "src/inventory.ts");
    assert.ok(used.has("sqs:PurgeQueue"));
    assert.ok(!(await irsaActions(dir)).inventory.has("sqs:PurgeQueue"));
  }));

test("check fails when KEDA's statement grants more than the scaler calls", () =>
  withCopy(async (dir) => {
    edit(join(dir, "modules/irsa/main.tf"), 'actions   = ["sqs:GetQueueAttributes"]', 'actions   = ["sqs:GetQueueAttributes", "sqs:ReceiveMessage"]');
    assert.notDeepEqual([...(await irsaActions(dir)).keda], ["sqs:GetQueueAttributes"]);
  }));

test("check fails when a queue is renamed in Terraform", () =>
  withCopy(async (dir) => {
    edit(join(dir, "modules/queue/main.tf"), '"price-change-queue${local.suffix}"', '"price-changes${local.suffix}"');
    assert.notEqual((await queueNames(dir)).price, "price-change-queue");
  }));
