// The offline infrastructure checks, each a function of a repository root so
// it can also run against a deliberately broken copy (broken-copies.test.ts).

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blocksOf, findCycle, listFiles, MODULE_FILES, moduleNames, parseFile, readModule, readUnits, type Hcl } from "./hcl.ts";

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

/**
 * Write actions that AWS's reference policy for the load balancer controller
 * grants on "*" with no condition, because they cannot be scoped (the
 * controller's listeners, rules, new security groups, web ACL association).
 * Only modules/lb-controller may grant them on "*".
 */
export const LB_CONTROLLER_STAR_ACTIONS = new Set([
  "ec2:CreateSecurityGroup",
  "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
  ...["CreateListener", "DeleteListener", "CreateRule", "DeleteRule", "ModifyListener", "ModifyRule", "SetRulePriorities",
    "AddListenerCertificates", "RemoveListenerCertificates", "SetWebAcl"].map((a) => `elasticloadbalancing:${a}`),
]);

/** Resource "*" is acceptable: a condition scopes it, the actions only read, or the list above (lb-controller only). */
function starResourceAllowed(module: string, s: Hcl, actions: string[]): boolean {
  if (actions.length === 1 && actions[0] === "ecr:GetAuthorizationToken") return true;
  if (Array.isArray(s.condition) && s.condition.length > 0) return true;
  if (actions.every((a) => /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/.test(a))) return true;
  return module === "lb-controller" && actions.every((a) => LB_CONTROLLER_STAR_ACTIONS.has(a));
}

/** IAM policy statements granting "*" actions, or "*" resources where starResourceAllowed does not apply. */
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
        if (resources.includes("*") && !starResourceAllowed(name, s, actions)) out.push(`${name}.${doc}: resource * for ${actions.join(",")}`);
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

