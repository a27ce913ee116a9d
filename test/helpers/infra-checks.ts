// The offline infrastructure checks, each a function of a repository root so
// it can also run against a deliberately broken copy (broken-copies.test.ts).

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blocksOf, findCycle, listFiles, MODULE_FILES, moduleNames, parseFile, readModule, readUnits, type Hcl } from "./hcl.ts";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Units whose plan is empty on purpose, with the reason; every other unit must plan (and apply) something. */
export const PLANS_NOTHING: Record<string, string> = {
  "dev/edge": "the web ACL and the DNS record are both off in dev (live/_envcommon/edge.hcl)",
};

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
  // env.hcl's unit_inputs name units of that environment.
  for (const env of new Set(units.map((u) => u.env))) {
    const envHcl = await parseFile(join(root, "live", env, "env.hcl"));
    const unitInputs = Object.assign({}, ...((envHcl.locals ?? []) as Hcl[])).unit_inputs ?? {};
    for (const name of Object.keys(unitInputs)) if (!units.some((u) => u.env === env && u.name === name)) problems.push(`live/${env}/env.hcl: unit_inputs.${name} names no unit of live/${env}`);
  }
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
    // The dependencies a unit's inputs read are exactly those enabled for it
    // (root.hcl's needs): one missing fails the unit, one extra is a false edge.
    const read = new Set([...JSON.stringify(u.inputs).matchAll(/dependency\.(\w+)\.outputs/g)].map((m) => m[1]));
    const enabled = new Set(u.dependencies.map((d) => d.name));
    for (const n of read) if (!enabled.has(n)) problems.push(`${where}: reads dependency.${n} but no enabled dependency block gives it`);
    for (const n of enabled) if (!read.has(n)) problems.push(`${where}: dependency ${n} is enabled but its outputs are never read`);
    for (const k of u.setTwice) problems.push(`${where}: input ${k} is set twice (env.hcl unit_inputs, _envcommon or the unit): one place decides it`);
    for (const k of Object.keys(u.inputs)) if (!(k in mod.variables)) problems.push(`${where}: input ${k} is not a variable of modules/${u.module}`);
    for (const [v, body] of Object.entries(mod.variables)) if (!body.hasDefault && !(v in u.inputs)) problems.push(`${where}: required variable ${v} of modules/${u.module} is not passed`);
  }
  return problems;
}

/** The statement blocks of a policy document, those of `dynamic "statement"` blocks (their content) included. */
function documentStatements(doc: Hcl | undefined): Hcl[] {
  return [
    ...((doc?.statement ?? []) as Hcl[]),
    ...([doc?.dynamic ?? []].flat() as Hcl[]).flatMap((d) => ((d.statement ?? []) as Hcl[]).flatMap((s) => (s.content ?? []) as Hcl[])),
  ];
}

/**
 * Allow statements' actions per IRSA role policy document, KMS left out.
 * `keda` is what the pricing role gets only with keda_enabled (the
 * keda_scaling document, including dynamic statements).
 */
export async function irsaActions(root: string): Promise<Record<"inventory" | "pricing" | "keda", Set<string>>> {
  const m = await readModule(root, "irsa");
  const docs = blocksOf(m, "data", "aws_iam_policy_document");
  const actions = (doc: Hcl | undefined) => new Set(documentStatements(doc).flatMap((s) => (s.actions ?? []) as string[]).filter((a) => !a.startsWith("kms:")));
  return { inventory: actions(docs.inventory), pricing: actions(docs.pricing), keda: actions(docs.keda_scaling) };
}

/** Actions that AWS authorizes only on "*" (no resource-level permissions). */
// Calls IAM authorizes only on "*" (the autoscaler's discovery calls among them).
const STAR_ONLY = /^(ecr:GetAuthorizationToken|ec2:Describe[A-Za-z]+|autoscaling:Describe[A-Za-z]+|ec2:GetInstanceTypesFromInstanceRequirements)$/;

/**
 * Write actions that AWS's reference policy for the load balancer controller
 * grants on "*" with no condition, because they cannot be scoped (the
 * controller's listeners, rules, new security groups, web ACL association).
 * Only modules/lb-controller may grant them, and its read-only discovery
 * calls (Describe/Get/List of any service), on "*".
 */
export const LB_CONTROLLER_STAR_ACTIONS = new Set([
  "ec2:CreateSecurityGroup",
  "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
  ...["CreateListener", "DeleteListener", "CreateRule", "DeleteRule", "ModifyListener", "ModifyRule", "SetRulePriorities",
    "AddListenerCertificates", "RemoveListenerCertificates", "SetWebAcl"].map((a) => `elasticloadbalancing:${a}`),
]);

const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;

/** Names of the policy documents used as a KMS key policy (aws_kms_key.policy). */
function keyPolicyDocs(m: Awaited<ReturnType<typeof readModule>>): Set<string> {
  const refs = Object.values(blocksOf(m, "resource", "aws_kms_key")).map((k) => String(k.policy ?? ""));
  return new Set(refs.flatMap((r) => [...r.matchAll(/data\.aws_iam_policy_document\.([\w-]+)\.json/g)].map((x) => x[1])));
}

/** Resource "*" is acceptable: a key policy (the key itself), a condition scopes it, or every action is allowed on "*" in this module. */
function starResourceAllowed(module: string, keyPolicy: boolean, s: Hcl, actions: string[]): boolean {
  if (keyPolicy || ((s.condition ?? []) as Hcl[]).length > 0) return true;
  const controller = (a: string) => module === "lb-controller" && (READ_ONLY.test(a) || LB_CONTROLLER_STAR_ACTIONS.has(a));
  return actions.every((a) => STAR_ONLY.test(a) || controller(a));
}

/**
 * Statements written as data in locals, for a policy document that creates
 * its statements with `dynamic "statement"` (modules/lb-controller's
 * local.policies): every object with `actions` and `resources`, its
 * `conditions` read as condition blocks. Named "local.<path>".
 */
function localStatements(m: Awaited<ReturnType<typeof readModule>>): Array<[string, Hcl[]]> {
  const found = new Map<string, Hcl[]>();
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const walk = (v: unknown, path: string, doc: string) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, path, doc));
    if (!v || typeof v !== "object") return;
    const o = v as Hcl;
    if ("actions" in o && "resources" in o) {
      const s: Hcl = { effect: o.effect, actions: list(o.actions), resources: list(o.resources), condition: list(o.conditions), principals: list(o.principals) };
      found.set(doc, [...(found.get(doc) ?? []), s]);
      return;
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`, Array.isArray(x) ? `${path}.${k}` : doc);
  };
  for (const b of m.blocks) for (const l of (b.locals ?? []) as Hcl[]) walk(l, "local", "local");
  return [...found.entries()];
}

/**
 * IAM policy statements granting "*" actions or resources. Allowed: actions
 * that AWS authorizes only on "*" (ecr:GetAuthorizationToken, ec2:Describe*);
 * "*" resources narrowed by a condition (e.g. ec2:Subnet); the load balancer
 * controller's list above; and in a KMS key policy, where "*" means the key
 * itself, "kms:*" for the account root only.
 */
export async function wildcardGrants(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of moduleNames(root)) {
    const m = await readModule(root, name);
    const keyDocs = keyPolicyDocs(m);
    const docs: Array<[string, Hcl[]]> = Object.entries(blocksOf(m, "data", "aws_iam_policy_document")).map(([doc, body]) => [doc, documentStatements(body)]);
    docs.push(...localStatements(m));
    for (const [doc, statements] of docs) {
      for (const s of statements) {
        if ((s.effect ?? "Allow") !== "Allow") continue;
        // A list written as one expression (a dynamic statement's statement.value.actions) is read where it is data: localStatements.
        const actions = (Array.isArray(s.actions) ? s.actions : []) as string[];
        const resources = (Array.isArray(s.resources) ? s.resources : []) as string[];
        const principals = ((s.principals ?? []) as Hcl[]).flatMap((p) => (p.identifiers ?? []) as string[]);
        const accountRoot = principals.length > 0 && principals.every((p) => /:iam::\$\{[^}]+\}:root$|:iam::\d{12}:root$/.test(p));
        const wildAction = actions.some((a) => a === "*" || a.endsWith(":*"));
        if (wildAction && !(keyDocs.has(doc) && accountRoot && actions.every((a) => a === "kms:*"))) out.push(`${name}.${doc}: action ${actions.join(",")}`);
        if (resources.includes("*") && !starResourceAllowed(name, keyDocs.has(doc), s, actions)) out.push(`${name}.${doc}: resource * for ${actions.join(",")}`);
      }
    }
  }
  return out;
}

export async function alarmProblems(root: string): Promise<string[]> {
  const m = await readModule(root, "alarms");
  // Every queue alarm is an entry of local.sqs_alarms, created by aws_cloudwatch_metric_alarm.sqs.
  const r = blocksOf(m, "resource", "aws_cloudwatch_metric_alarm").sqs;
  const a = (Object.assign({}, ...m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[])).sqs_alarms as Record<string, Hcl> | undefined)?.backlog;
  const problems: string[] = [];
  if (!r || !a) return ["no backlog alarm (local.sqs_alarms.backlog, created by aws_cloudwatch_metric_alarm.sqs)"];
  const field = (k: string) => (r[k] === `\${each.value.${k}}` ? a[k] : r[k]);
  const v = m.variables;
  if (a.enabled !== true) problems.push(`enabled ${a.enabled}`);
  if (field("metric_name") !== "ApproximateNumberOfMessagesVisible") problems.push(`metric ${field("metric_name")}`);
  if (r.namespace !== "AWS/SQS") problems.push(`namespace ${r.namespace}`);
  if (field("comparison_operator") !== "GreaterThanThreshold") problems.push(`comparison ${field("comparison_operator")}`);
  const threshold = field("threshold") === "${var.backlog_threshold}" ? v.backlog_threshold?.default : field("threshold");
  if (threshold !== 50) problems.push(`threshold ${threshold}, want 50 by default`);
  const periods = field("evaluation_periods") === "${var.backlog_minutes}" ? v.backlog_minutes?.default : field("evaluation_periods");
  if (Number(field("period")) * Number(periods) !== 300) problems.push(`period ${field("period")} x ${periods} is not 5 minutes`);
  const topic = '${aws_sns_topic.this["alerts"].arn}';
  if (JSON.stringify(r.alarm_actions) !== JSON.stringify([topic])) problems.push("alarm_actions not the SNS topic");
  if (JSON.stringify(r.ok_actions) !== JSON.stringify([topic])) problems.push("ok_actions not the SNS topic");
  if (r.dimensions?.QueueName !== "${each.value.queue_name}" || a.queue_name !== "${var.queue_name}") problems.push("not on the inventory queue");
  return problems;
}

export async function queueNames(root: string): Promise<Record<string, string>> {
  const m = await readModule(root, "queue");
  const locals = m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]).find((l) => l.names)?.names as Record<string, string>;
  const strip = (s: string) => s.replace("${local.suffix}", "");
  return { inventory: strip(locals.inventory), inventoryDlq: strip(locals.dlq), price: strip(locals.price) };
}


/** The first provider release with every resource and argument the modules use. */
export const MIN_AWS_PROVIDER = "5.81.0";

function versionAtLeast(v: string, min: string): boolean {
  const a = v.split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Modules whose aws provider constraint admits a release older than MIN_AWS_PROVIDER. */
export async function providerBoundProblems(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of moduleNames(root)) {
    const m = await readModule(root, name);
    const specs = m.blocks.flatMap((b) => (b.terraform ?? []) as Hcl[]).flatMap((t) => (t.required_providers ?? []) as Hcl[]).map((rp) => rp.aws).filter(Boolean) as Hcl[];
    for (const spec of specs) {
      const lower = /(?:>=|~>|=)?\s*(\d+\.\d+(?:\.\d+)?)/.exec(String(spec.version ?? ""))?.[1];
      if (!lower || !versionAtLeast(lower, MIN_AWS_PROVIDER)) out.push(`${name}: aws provider "${spec.version}" admits releases before ${MIN_AWS_PROVIDER}`);
    }
  }
  return out;
}

/** buildspec.yml's cache section without a cache on the CodeBuild project (CodeBuild then ignores it), or the reverse. */
export async function cacheProblems(root: string, buildspec: { cache?: { paths?: string[] } }): Promise<string[]> {
  const project = Object.values(blocksOf(await readModule(root, "pipeline"), "resource", "aws_codebuild_project"))[0] ?? {};
  const cache = ((project.cache ?? []) as Hcl[])[0];
  const declared = (buildspec.cache?.paths ?? []).length > 0;
  const enabled = cache !== undefined && cache.type !== "NO_CACHE";
  if (declared && !enabled) return ["buildspec.yml declares cache paths but the CodeBuild project has no cache block: the cache is ignored"];
  if (declared && cache.type === "LOCAL" && !((cache.modes ?? []) as string[]).includes("LOCAL_CUSTOM_CACHE")) return ["a LOCAL cache needs LOCAL_CUSTOM_CACHE for buildspec cache paths"];
  if (!declared && enabled && cache.type === "S3") return ["the CodeBuild project has an S3 cache but buildspec.yml declares nothing to cache"];
  return [];
}
