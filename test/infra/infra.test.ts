// Offline checks of the Terraform modules and the Terragrunt live layer.
// Nothing here can reach AWS or download the provider, so structure is
// checked by parsing with HashiCorp's parser and asserting on the result.
// Each check is a function of the repository root (see broken-copies.test.ts).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { QUEUE_NAMES, K8S } from "../../src/shared/names.ts";
import { blocksOf, findCycle, listFiles, MODULE_FILES, moduleNames, parseFile, readModule, readUnits, type Hcl } from "../helpers/hcl.ts";
import { sqsActionsUsedBy } from "../helpers/sqs-actions.ts";

export const ROOT = join(import.meta.dirname, "..", "..");

export function terraformAvailable(): boolean {
  return spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;
}

/** Files `terraform fmt -check` would change (.hcl files are checked as .tf copies). */
export function unformatted(root: string): string[] {
  const bad: string[] = [];
  const tf = spawnSync("terraform", ["fmt", "-check", "-recursive", join(root, "modules")], { encoding: "utf8" });
  if (tf.status !== 0) bad.push(...tf.stdout.split("\n").filter(Boolean));
  const tmp = mkdtempSync(join(tmpdir(), "fmt-"));
  for (const f of listFiles(join(root, "live"), /\.hcl$/)) {
    const copy = join(tmp, "f.tf");
    copyFileSync(f, copy);
    if (spawnSync("terraform", ["fmt", "-check", copy], { stdio: "ignore" }).status !== 0) bad.push(f);
  }
  return bad;
}

export async function unparseable(root: string): Promise<string[]> {
  const bad: string[] = [];
  for (const f of [...listFiles(join(root, "modules"), /\.tf$/), ...listFiles(join(root, "live"), /\.hcl$/)]) {
    try {
      await parseFile(f);
    } catch {
      bad.push(f);
    }
  }
  return bad;
}

export async function moduleProblems(root: string): Promise<string[]> {
  const problems: string[] = [];
  for (const name of moduleNames(root)) {
    for (const f of MODULE_FILES) if (!existsSync(join(root, "modules", name, f))) problems.push(`${name}: missing ${f}`);
    const m = await readModule(root, name);
    for (const [v, body] of Object.entries(m.variables)) {
      if (!body.description) problems.push(`${name}: variable ${v} has no description`);
      if (!body.type) problems.push(`${name}: variable ${v} has no type`);
    }
    for (const [o, body] of Object.entries(m.outputs)) if (!body.description) problems.push(`${name}: output ${o} has no description`);
  }
  return problems;
}

export async function graphProblems(root: string): Promise<string[]> {
  const problems: string[] = [];
  const units = await readUnits(root);
  const byDir = new Map(units.map((u) => [u.dir, u]));
  const modules = new Map<string, Awaited<ReturnType<typeof readModule>>>();
  for (const name of moduleNames(root)) modules.set(name, await readModule(root, name));
  const cycle = findCycle(units);
  if (cycle) problems.push(`dependency cycle: ${cycle.join(" -> ")}`);
  for (const u of units) {
    const where = `${u.env}/${u.name}`;
    const mod = modules.get(u.module);
    if (!mod) {
      problems.push(`${where}: terraform.source is not a module (${u.module})`);
      continue;
    }
    for (const d of u.dependencies) {
      const target = byDir.get(d.configPath);
      if (!target) {
        problems.push(`${where}: dependency ${d.name} -> ${d.target} does not exist`);
        continue;
      }
      const targetOutputs = modules.get(target.module)?.outputs ?? {};
      if (!d.mockOutputs || Object.keys(d.mockOutputs).length === 0) problems.push(`${where}: dependency ${d.name} has no mock_outputs`);
      for (const k of Object.keys(d.mockOutputs ?? {})) if (!(k in targetOutputs)) problems.push(`${where}: mock output ${d.name}.${k} is not an output of modules/${target.module}`);
      if (JSON.stringify(d.allowed) !== JSON.stringify(["init", "validate", "plan"])) problems.push(`${where}: dependency ${d.name} mock_outputs_allowed_terraform_commands must be ["init","validate","plan"]`);
    }
    for (const k of Object.keys(u.inputs)) if (!(k in mod.variables)) problems.push(`${where}: input ${k} is not a variable of modules/${u.module}`);
    for (const [v, body] of Object.entries(mod.variables)) if (!body.hasDefault && !(v in u.inputs)) problems.push(`${where}: required variable ${v} of modules/${u.module} is not passed`);
  }
  return problems;
}

/** Allow statements' actions per IRSA role policy document, KMS left out. */
export async function irsaActions(root: string): Promise<Record<"inventory" | "pricing", Set<string>>> {
  const m = await readModule(root, "irsa");
  const docs = blocksOf(m, "data", "aws_iam_policy_document");
  const actions = (doc: Hcl) => new Set(((doc.statement ?? []) as Hcl[]).flatMap((s) => (s.actions ?? []) as string[]).filter((a) => !a.startsWith("kms:")));
  return { inventory: actions(docs.inventory), pricing: actions(docs.pricing) };
}

/** IAM policy statements granting "*" actions or resources (ecr:GetAuthorizationToken alone is allowed "*"). */
export async function wildcardGrants(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of moduleNames(root)) {
    const m = await readModule(root, name);
    for (const [doc, body] of Object.entries(blocksOf(m, "data", "aws_iam_policy_document"))) {
      for (const s of (body.statement ?? []) as Hcl[]) {
        if ((s.effect ?? "Allow") !== "Allow") continue;
        const actions = (s.actions ?? []) as string[];
        const resources = (s.resources ?? []) as string[];
        if (actions.some((a) => a === "*" || a.endsWith(":*"))) out.push(`${name}.${doc}: action ${actions.join(",")}`);
        if (resources.includes("*") && !(actions.length === 1 && actions[0] === "ecr:GetAuthorizationToken")) out.push(`${name}.${doc}: resource * for ${actions.join(",")}`);
      }
    }
  }
  return out;
}

export async function alarmProblems(root: string): Promise<string[]> {
  const m = await readModule(root, "alarms");
  const a = blocksOf(m, "resource", "aws_cloudwatch_metric_alarm").backlog;
  const problems: string[] = [];
  if (!a) return ["no backlog alarm (aws_cloudwatch_metric_alarm.backlog)"];
  const v = m.variables;
  if (a.metric_name !== "ApproximateNumberOfMessagesVisible") problems.push(`metric ${a.metric_name}`);
  if (a.namespace !== "AWS/SQS") problems.push(`namespace ${a.namespace}`);
  if (a.comparison_operator !== "GreaterThanThreshold") problems.push(`comparison ${a.comparison_operator}`);
  const threshold = a.threshold === "${var.backlog_threshold}" ? v.backlog_threshold?.default : a.threshold;
  if (threshold !== 50) problems.push(`threshold ${threshold}, want 50 by default`);
  const periods = a.evaluation_periods === "${var.backlog_minutes}" ? v.backlog_minutes?.default : a.evaluation_periods;
  if (Number(a.period) * Number(periods) !== 300) problems.push(`period ${a.period} x ${periods} is not 5 minutes`);
  const topic = "${aws_sns_topic.this.arn}";
  if (JSON.stringify(a.alarm_actions) !== JSON.stringify([topic])) problems.push("alarm_actions not the SNS topic");
  if (JSON.stringify(a.ok_actions) !== JSON.stringify([topic])) problems.push("ok_actions not the SNS topic");
  if (!a.dimensions || a.dimensions.QueueName !== "${var.queue_name}") problems.push("not on the inventory queue");
  return problems;
}

export async function queueNames(root: string): Promise<Record<string, string>> {
  const m = await readModule(root, "queue");
  const locals = m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]).find((l) => l.names)?.names as Record<string, string>;
  const strip = (s: string) => s.replace("${local.suffix}", "");
  return { inventory: strip(locals.inventory), inventoryDlq: strip(locals.dlq), price: strip(locals.price) };
}

test("terraform fmt -check passes on modules and live", (t) => {
  if (!terraformAvailable()) return t.skip("terraform is not installed here: formatting not checked");
  assert.deepEqual(unformatted(ROOT), []);
});

test("every .tf and .hcl file parses", async () => {
  assert.ok(listFiles(join(ROOT, "modules"), /\.tf$/).length >= 28);
  assert.ok(listFiles(join(ROOT, "live"), /\.hcl$/).length >= 20);
  assert.deepEqual(await unparseable(ROOT), []);
});

test("the seven modules each have the five files; variables have description and type; outputs a description", async () => {
  assert.deepEqual(moduleNames(ROOT), ["alarms", "ecr", "eks", "irsa", "network", "pipeline", "queue"]);
  assert.deepEqual(await moduleProblems(ROOT), []);
});

test("Terragrunt: no cycle, dependencies exist, mocks match real outputs, inputs match variables", async () => {
  const units = await readUnits(ROOT);
  assert.equal(units.length, 14, "7 units in dev and in prod");
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

test("no IAM policy grants a * action or resource (ecr:GetAuthorizationToken excepted)", async () => {
  assert.deepEqual(await wildcardGrants(ROOT), []);
});

test("IRSA trust is limited to the exact ServiceAccounts and the STS audience", async () => {
  const m = await readModule(ROOT, "irsa");
  const trust = blocksOf(m, "data", "aws_iam_policy_document").trust.statement[0];
  const conds = Object.fromEntries((trust.condition as Hcl[]).map((c) => [c.variable, c]));
  assert.deepEqual(conds["${local.issuer}:sub"].values, ["${each.value}"]);
  const subjects = m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]).find((l) => l.subjects)?.subjects;
  assert.deepEqual(subjects, {
    inventory: "system:serviceaccount:${var.namespace}:${var.inventory_service_account}",
    pricing: "system:serviceaccount:${var.namespace}:${var.pricing_service_account}",
  });
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
  assert.equal(m.variables.max_receive_count.default, 5);
});

test("EKS: no Fargate Spot; pricing on a SPOT node group tainted for pricing, inventory on a Fargate profile", async () => {
  const m = await readModule(ROOT, "eks");
  const ng = blocksOf(m, "resource", "aws_eks_node_group").pricing;
  assert.equal(ng.capacity_type, "SPOT");
  assert.deepEqual(ng.taint[0], { key: "stockprice.io/workload", value: "pricing", effect: "NO_SCHEDULE" });
  assert.ok(m.variables.spot_instance_types.default && (m.variables.spot_instance_types.default as string[]).length >= 3);
  const inv = blocksOf(m, "resource", "aws_eks_fargate_profile").inventory;
  assert.deepEqual(inv.selector[0].labels, { "app.kubernetes.io/name": "inventory" });
  assert.doesNotMatch(readFileSync(join(ROOT, "modules", "eks", "main.tf"), "utf8"), /FARGATE_SPOT/i, "EKS has no Fargate Spot capacity provider");
});
