// Offline checks of the log and metrics path, each a function of a
// repository root so a deliberately broken copy can be seen to fail
// (test/infra/telemetry-broken.test.ts). The names come from
// scripts/render/telemetry.ts; Terraform's are read from the modules.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { clusterName, renderTelemetry, SERVICES, telemetryNames, AWS_LOGGING_MAX_CHARS } from "../../scripts/render/telemetry.ts";
import type { K8sObject } from "../../scripts/render/manifests.ts";
import { DEPLOY_ENVS, type DeployEnv } from "../../scripts/render/options.ts";
import { createInventoryMetrics } from "../../src/inventory/metrics.ts";
import { createPricingMetrics } from "../../src/pricing/metrics.ts";
import { K8S } from "../../src/shared/names.ts";
import { containerTag, matches, parseWith, sections, type Section } from "./fluent-bit.ts";
import { blocksOf, moduleNames, parseFile, readModule, readUnits, type Hcl } from "./hcl.ts";

type Obj = Record<string, any>;

export function render(root: string, env: DeployEnv = "dev", pricingCapacity: "spot" | "fargate" = "spot"): K8sObject[] {
  return renderTelemetry({ env, region: "eu-west-1", pricingCapacity, collectorRoleArn: "arn:aws:iam::123456789012:role/c", fluentBitRoleArn: "arn:aws:iam::123456789012:role/f" }, join(root, "telemetry"));
}

const find = (objects: readonly K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as Obj | undefined;

/** Fargate's rules for aws-logging, and what our log path needs of it. */
const FARGATE_KEYS = ["flb_log_cw", "filters.conf", "output.conf", "parsers.conf"];
const FARGATE_FILTERS = ["grep", "parser", "record_modifier", "rewrite_tag", "throttle", "nest", "modify", "kubernetes"];
const SECTION_OF: Record<string, string> = { "filters.conf": "FILTER", "output.conf": "OUTPUT", "parsers.conf": "PARSER" };
const SAMPLE = { ts: "2026-01-01T00:00:00.000Z", level: "warn", msg: "price.send_failed", sku: "SKU-1", err: { message: "queue does not exist" } };

/** Outputs shipping each service's lines: exactly one per service, to its group, the line kept as JSON. */
function outputProblems(where: string, outputs: Section[], groups: Record<string, string>, services: readonly string[]): string[] {
  const out: string[] = [];
  for (const o of outputs) {
    if (o.props.name !== "cloudwatch_logs") out.push(`${where}: output ${o.props.name} is not cloudwatch_logs`);
    if (!o.props.region) out.push(`${where}: output without region`);
    if (o.props.auto_create_group?.toLowerCase() !== "false") out.push(`${where}: auto_create_group must be false (a created group has no retention)`);
    if (o.props.log_key !== "log") out.push(`${where}: log_key must be log, so the JSON line is stored as written`);
  }
  for (const s of services) {
    const tag = containerTag(`${s}-5d8f7c9b6d-x7k2p`, K8S.namespace, s);
    const hit = outputs.filter((o) => matches(o.props.match ?? "", tag));
    if (hit.length !== 1) out.push(`${where}: ${hit.length} outputs match ${s}'s tag`);
    else if (hit[0].props.log_group_name !== groups[s]) out.push(`${where}: ${s} goes to ${hit[0].props.log_group_name}, Terraform creates ${groups[s]}`);
  }
  const stray = containerTag("coredns-1-2", "kube-system", "coredns");
  if (outputs.some((o) => matches(o.props.match ?? "", stray))) out.push(`${where}: other pods' logs would reach the service groups`);
  return out;
}

/** Problems of the rendered aws-logging ConfigMap against Fargate's rules and the given groups. */
export function awsLoggingProblems(objects: readonly K8sObject[], groups: Record<string, string>): string[] {
  const cm = find(objects, "ConfigMap", "aws-logging");
  if (!cm) return ["no ConfigMap aws-logging"];
  const out: string[] = [];
  if (cm.metadata.namespace !== "aws-observability") out.push(`aws-logging is in ${cm.metadata.namespace}, Fargate reads aws-observability`);
  if (!find(objects, "Namespace", "aws-observability")) out.push("no Namespace aws-observability");
  const data = (cm.data ?? {}) as Record<string, string>;
  for (const k of Object.keys(data)) if (!FARGATE_KEYS.includes(k)) out.push(`aws-logging: key ${k} is not one Fargate reads (${FARGATE_KEYS.join(", ")})`);
  if (!["true", "false"].includes(String(data.flb_log_cw))) out.push(`aws-logging: flb_log_cw must be "true" or "false"`);
  const size = Object.entries(data).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
  if (size > AWS_LOGGING_MAX_CHARS) out.push(`aws-logging: ${size} characters, Fargate accepts ${AWS_LOGGING_MAX_CHARS}`);
  const parsed: Record<string, Section[]> = {};
  for (const [key, kind] of Object.entries(SECTION_OF)) {
    try {
      parsed[key] = sections(data[key] ?? "");
    } catch (err) {
      out.push(`aws-logging ${key}: ${(err as Error).message}`);
      parsed[key] = [];
    }
    for (const s of parsed[key]) if (s.kind !== kind) out.push(`aws-logging ${key}: [${s.kind}] is not allowed there`);
  }
  for (const f of parsed["filters.conf"]) if (!FARGATE_FILTERS.includes(f.props.name ?? "")) out.push(`aws-logging: filter ${f.props.name} is not supported on Fargate`);
  // A container line as Fargate reads it, through the parser filter: the service's JSON must come out intact.
  const filter = parsed["filters.conf"].find((f) => f.props.name === "parser");
  const parser = parsed["parsers.conf"].find((p) => p.props.name === filter?.props.parser);
  const fields = parser && parseWith(parser, `2026-01-01T00:00:00.123456789+00:00 stdout F ${JSON.stringify(SAMPLE)}`);
  const key = filter?.props.key_name ?? "";
  try {
    if (!fields || JSON.stringify(JSON.parse(fields[key])) !== JSON.stringify(SAMPLE)) out.push("aws-logging: the parser does not yield the service's JSON line");
  } catch {
    out.push("aws-logging: the parser does not yield the service's JSON line");
  }
  out.push(...outputProblems("aws-logging", parsed["output.conf"].filter((s) => s.kind === "OUTPUT"), groups, SERVICES));
  return out;
}

/** Problems of the Spot nodes' Fluent Bit: it tails only pricing's files and ships them to pricing's group. */
export function spotFluentBitProblems(objects: readonly K8sObject[], groups: Record<string, string>): string[] {
  const cm = find(objects, "ConfigMap", "fluent-bit");
  if (!cm) return ["no ConfigMap fluent-bit"];
  const all = sections(cm.data?.["fluent-bit.conf"] ?? "");
  const out: string[] = [];
  const inputs = all.filter((s) => s.kind === "INPUT");
  const pricingFile = `/var/log/containers/pricing-5d8f7c9b6d-x7k2p_${K8S.namespace}_pricing-${"a".repeat(64)}.log`;
  const otherFile = `/var/log/containers/aws-node-abcde_kube-system_aws-node-${"a".repeat(64)}.log`;
  if (!inputs.some((i) => i.props.name === "tail" && matches(i.props.path ?? "", pricingFile))) out.push("fluent-bit: no tail input reads pricing's files");
  if (inputs.some((i) => matches(i.props.path ?? "", otherFile))) out.push("fluent-bit: tails other pods' files too");
  if (!inputs.every((i) => /^cri\b/.test(i.props["multiline.parser"] ?? ""))) out.push("fluent-bit: the nodes' containerd writes CRI lines; use multiline.parser cri");
  out.push(...outputProblems("fluent-bit", all.filter((s) => s.kind === "OUTPUT"), groups, [K8S.pricing.name]));
  const ds = find(objects, "DaemonSet", "fluent-bit");
  const tol = (ds?.spec?.template?.spec?.tolerations ?? []) as Obj[];
  if (!tol.some((t) => t.key === "stockprice.io/workload" && t.value === "pricing" && t.effect === "NoSchedule")) out.push("fluent-bit: does not tolerate the pricing nodes' taint");
  return out;
}

/** Names Terraform creates or grants, read from the modules and the live layer, per environment. */
export async function terraformNames(root: string, env: DeployEnv) {
  const obs = await readModule(root, "observability");
  const locals = Object.assign({}, ...obs.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]));
  const envHcl = (await parseFile(join(root, "live", env, "env.hcl"))).locals[0];
  const cluster = String(envHcl.name);
  const sub = (template: string, s = "") => template.replaceAll("${var.name_prefix}", cluster).replaceAll("${s}", s);
  const template = /=>\s*\\?"([^"\\]+)\\?"/.exec(String(locals.log_groups))?.[1] ?? "";
  const services = Array.isArray(locals.services) ? (locals.services as string[]) : [];
  const eks = await readModule(root, "eks");
  const grant = blocksOf(eks, "data", "aws_iam_policy_document").fargate_logs?.statement?.[0] as Hcl | undefined;
  const pattern = String(grant?.resources?.[0] ?? "").replace(/^.*:log-group:/, "").replaceAll("${var.cluster_name}", cluster);
  const profiles = Object.assign({}, ...eks.blocks.flatMap((b) => (b.locals ?? []) as Hcl[])).fargate_profiles as Hcl | undefined;
  const profile = profiles?.telemetry?.selectors?.[0] as Hcl | undefined;
  const v = obs.variables;
  return {
    cluster,
    logGroups: Object.fromEntries(services.map((s) => [s, sub(template, s)])) as Record<string, string>,
    metricsLogGroup: sub(String(locals.metrics_log_group)),
    metricsNamespace: v.metrics_namespace?.default,
    telemetryNamespace: v.telemetry_namespace?.default,
    collectorServiceAccount: v.collector_service_account?.default,
    fluentBitServiceAccount: v.fluent_bit_service_account?.default,
    eksTelemetryNamespace: eks.variables.telemetry_namespace?.default,
    collectorProfileLabel: profile?.labels?.["app.kubernetes.io/name"],
    fargateLogsPattern: pattern,
  };
}

/** Every place where the rendered objects and Terraform must agree on a name. */
export async function nameTieProblems(root: string): Promise<string[]> {
  const out: string[] = [];
  // The observability unit's prefix is the cluster's name, which is the env's name.
  for (const u of await readUnits(root)) {
    if (u.module === "eks" && u.inputs.cluster_name !== "${local.env.name}") out.push(`${u.env}/eks: cluster_name is not the env's name`);
    if (u.module === "observability" && u.inputs.name_prefix !== "${dependency.eks.outputs.cluster_name}") out.push(`${u.env}/observability: name_prefix is not the cluster's name`);
  }
  for (const env of DEPLOY_ENVS) {
    const tf = await terraformNames(root, env);
    const n = telemetryNames(clusterName(env));
    if (tf.cluster !== clusterName(env)) out.push(`${env}: live env.hcl name ${tf.cluster}, render uses ${clusterName(env)}`);
    if (JSON.stringify(tf.logGroups) !== JSON.stringify(n.logGroups)) out.push(`${env}: Terraform log groups ${JSON.stringify(tf.logGroups)}, render writes ${JSON.stringify(n.logGroups)}`);
    const checks: Array<[string, unknown, unknown]> = [
      ["metrics log group", tf.metricsLogGroup, n.metricsLogGroup],
      ["metrics namespace", tf.metricsNamespace, n.metricsNamespace],
      ["telemetry namespace", tf.telemetryNamespace, n.telemetryNamespace],
      ["eks telemetry namespace", tf.eksTelemetryNamespace, n.telemetryNamespace],
      ["collector ServiceAccount", tf.collectorServiceAccount, n.collectorServiceAccount],
      ["Fluent Bit ServiceAccount", tf.fluentBitServiceAccount, n.fluentBitServiceAccount],
      ["collector Fargate profile label", tf.collectorProfileLabel, "metrics-collector"],
    ];
    for (const [what, a, b] of checks) if (a !== b) out.push(`${env}: ${what}: Terraform ${String(a)}, render ${String(b)}`);
    for (const g of Object.values(n.logGroups)) if (!matches(tf.fargateLogsPattern, g)) out.push(`${env}: the Fargate role's logs grant (${tf.fargateLogsPattern}) does not cover ${g}`);
    const objects = render(root, env);
    out.push(...awsLoggingProblems(objects, tf.logGroups).map((p) => `${env}: ${p}`));
    out.push(...spotFluentBitProblems(objects, tf.logGroups).map((p) => `${env}: ${p}`));
    const collector = find(objects, "Deployment", "metrics-collector");
    if (collector?.spec?.template?.metadata?.labels?.["app.kubernetes.io/name"] !== tf.collectorProfileLabel) out.push(`${env}: the collector's pods are not selected by the telemetry Fargate profile`);
  }
  return out;
}

/** Metric names the services export (from their registries). */
export function exportedMetrics(): Set<string> {
  const text = createInventoryMetrics(() => 0).registry.render() + createPricingMetrics().registry.render();
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
}

/** Service metrics Terraform alarms on or charts, each exported by a service and selected by the collector. */
export async function metricTieProblems(root: string): Promise<string[]> {
  const dir = join(root, "modules", "observability");
  const text = ["alarms.tf", "dashboard.tf"].map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
  const used = new Set([...text.matchAll(/(?:metric_name\s*=\s*|local\.ns,\s*)"((?:inventory|pricing)_[a-z_]+)"/g)].map((m) => m[1]));
  const config = parseYaml(String(find(render(root), "ConfigMap", "metrics-collector")?.data?.["collector.yaml"] ?? "{}")) as Obj;
  const declarations = (config?.exporters?.awsemf?.metric_declarations ?? []) as Obj[];
  const exported = exportedMetrics();
  const out: string[] = [];
  if (used.size < 8) out.push(`only ${used.size} service metrics found in the module`);
  for (const m of used) {
    if (!exported.has(m)) out.push(`${m}: no service exports it`);
    const decl = declarations.filter((d) => (d.metric_name_selectors as string[]).some((s) => new RegExp(s).test(m)));
    if (decl.length === 0) out.push(`${m}: the collector does not send it to CloudWatch`);
    if (decl.some((d) => !(d.dimensions as string[][]).every((set) => set.includes("Service")))) out.push(`${m}: a dimension set without Service`);
  }
  if (config?.exporters?.awsemf?.namespace !== (await readModule(root, "observability")).variables.metrics_namespace?.default) out.push("the collector writes to another namespace than the alarms read");
  return out;
}

/**
 * Every series a count alarm watches (observability's count_alarms) is in a
 * fresh service's /metrics at 0: the collector's CloudWatch exporter drops
 * the first value of a series, so a series born at its first failure would
 * never reach the alarm with it.
 */
export async function unbornAlarmSeries(root: string): Promise<string[]> {
  const m = await readModule(root, "observability");
  const alarms = m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]).find((l) => l.count_alarms)?.count_alarms as Record<string, Hcl> | undefined;
  if (!alarms || Object.keys(alarms).length < 3) return ["modules/observability: no count_alarms found"];
  const rendered: Record<string, string> = { inventory: createInventoryMetrics(() => 0).registry.render(), pricing: createPricingMetrics().registry.render() };
  const out: string[] = [];
  for (const [name, a] of Object.entries(alarms)) {
    const { Service, ...labels } = a.dimensions as Record<string, string>;
    const series = `${a.metric_name}${Object.keys(labels).length ? `{${Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(",")}}` : ""} 0`;
    if (!rendered[Service]?.split("\n").includes(series)) out.push(`${name}: ${Service} does not export "${series}" from the start`);
  }
  return out;
}

/** Across every module: each log group has a retention, each metric alarm its alarm and OK actions. */
export async function retentionAndActionProblems(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of moduleNames(root)) {
    const m = await readModule(root, name);
    for (const [id, g] of Object.entries(blocksOf(m, "resource", "aws_cloudwatch_log_group"))) {
      if (g.retention_in_days === undefined || g.retention_in_days === 0) out.push(`${name}: log group ${id} keeps logs for ever (no retention_in_days)`);
    }
    for (const [id, a] of Object.entries(blocksOf(m, "resource", "aws_cloudwatch_metric_alarm"))) {
      if (!a.alarm_actions) out.push(`${name}: alarm ${id} has no alarm_actions`);
      if (!a.ok_actions) out.push(`${name}: alarm ${id} has no ok_actions`);
    }
  }
  return out;
}
