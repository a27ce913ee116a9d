// The alarms the local stack evaluates, read from the Terraform module
// (modules/alarms) so that thresholds, periods and statistics have one source.
//
// Every `aws_cloudwatch_metric_alarm` of the module is read; one whose
// for_each walks a map of locals (the module's `sqs_alarms`, every queue
// alarm) is read once per entry of that map, `each.key` naming it, and an
// entry whose `enabled` is false is listed as skipped. An alarm is
// evaluated locally when it watches an SQS queue metric the emulator can
// measure and every expression in it resolves from the module's variables
// (locally: name_prefix "stockprice" and the project's queue names, the rest
// from the variables' defaults). Anything else (metric math, an expression
// calling a function, a variable without a default) is listed as skipped with
// the reason, never guessed.

import { parse } from "@cdktf/hcl2json";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { QUEUE_NAMES } from "../../src/shared/names.ts";

export const ALARMS_MODULE_DIR = resolve(import.meta.dirname, "..", "..", "modules", "alarms");

/** The module inputs the local stack passes, as the live layer would. */
export const LOCAL_ALARM_INPUTS: Record<string, unknown> = {
  name_prefix: "stockprice",
  queue_name: QUEUE_NAMES.inventory,
  dlq_name: QUEUE_NAMES.inventoryDlq,
  price_queue_name: QUEUE_NAMES.price,
};

/** Queue metrics the evaluator can measure on the emulator. */
export const SUPPORTED_METRICS = [
  "ApproximateNumberOfMessagesVisible",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "ApproximateAgeOfOldestMessage",
] as const;
export type QueueMetric = (typeof SUPPORTED_METRICS)[number];

export const STATISTICS = ["Maximum", "Minimum", "Average", "Sum", "SampleCount"] as const;
export type Statistic = (typeof STATISTICS)[number];

export const COMPARISONS = ["GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const MISSING_DATA = ["missing", "notBreaching", "breaching", "ignore"] as const;
export type TreatMissingData = (typeof MISSING_DATA)[number];

export interface AlarmDefinition {
  /** The key of the alarm in the module's sqs_alarms map (or a lone resource's name), e.g. "backlog". */
  resource: string;
  name: string;
  description: string;
  namespace: "AWS/SQS";
  metric: QueueMetric;
  queueName: string;
  statistic: Statistic;
  periodS: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Comparison;
  treatMissingData: TreatMissingData;
  /** Which state changes notify the module's topic. */
  notifyOn: { ALARM: boolean; OK: boolean; INSUFFICIENT_DATA: boolean };
}

export interface AlarmModule {
  alarms: AlarmDefinition[];
  skipped: Array<{ resource: string; reason: string }>;
  /** The SNS topic the alarms notify (the name of the module's aws_sns_topic.this["alerts"]). */
  topicName: string;
}

type Body = Record<string, unknown>;

class Unresolved extends Error {}

/** Where the entry of a for_each map sits among the variables while its alarm is read. */
const EACH = "\0each.value";
/** Where the key of that entry (each.key) sits. */
const EACH_KEY = "\0each.key";
/** A for_each over a map of locals, e.g. "${{ for k, a in local.sqs_alarms : k => a if a.enabled }}". */
const FOR_EACH_LOCAL = /^\$\{\{?\s*(?:for\s+\w+\s*,\s*\w+\s+in\s+)?local\.([A-Za-z0-9_]+)/;

/** Resolves "${var.x}" references; a whole-string reference keeps the variable's type. */
function resolveExpr(value: unknown, vars: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveExpr(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveExpr(v, vars)]));
  }
  if (typeof value !== "string" || !value.includes("${")) return value;
  const lookup = (expr: string): unknown => {
    if (/^\s*each\.key\s*$/.test(expr) && vars[EACH_KEY] !== undefined) return vars[EACH_KEY];
    const each = /^\s*each\.value\.([A-Za-z0-9_-]+)\s*$/.exec(expr);
    if (each && vars[EACH] !== undefined) return resolveExpr((vars[EACH] as Record<string, unknown>)[each[1]], vars);
    const m = /^\s*var\.([A-Za-z0-9_-]+)\s*$/.exec(expr);
    if (!m) throw new Unresolved(`expression \${${expr}} is not a plain variable`);
    if (!(m[1] in vars)) throw new Unresolved(`variable ${m[1]} has no default and no local value`);
    return vars[m[1]];
  };
  const whole = /^\$\{([^}]*)\}$/.exec(value);
  if (whole) return lookup(whole[1]);
  return value.replace(/\$\{([^}]*)\}/g, (_, expr: string) => String(lookup(expr)));
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Unresolved(`${field} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
}

function positiveInt(value: unknown, field: string): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === "number" && Number.isInteger(n) && n >= 1) return n;
  throw new Unresolved(`${field} ${JSON.stringify(value)} is not a whole number of 1 or more`);
}

function finite(value: unknown, field: string): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n === "number" && Number.isFinite(n)) return n;
  throw new Unresolved(`${field} ${JSON.stringify(value)} is not a number`);
}

/** The module's topics are one for_each map; the alarms notify its "alerts" entry. */
const TOPIC_KEY = "alerts";
const TOPIC_REF = `\${aws_sns_topic.this["${TOPIC_KEY}"].arn}`;
const notifies = (actions: unknown) => Array.isArray(actions) && actions.includes(TOPIC_REF);

function toDefinition(resource: string, raw: Body, vars: Record<string, unknown>): AlarmDefinition {
  if (raw.metric_query !== undefined) throw new Unresolved("metric math (metric_query) is not evaluated locally");
  // Only the fields the evaluation uses are resolved (actions name resources, tags are irrelevant).
  const used = ["alarm_name", "alarm_description", "namespace", "metric_name", "dimensions", "statistic", "period", "evaluation_periods", "datapoints_to_alarm", "threshold", "comparison_operator", "treat_missing_data"];
  const body = Object.fromEntries(used.map((k) => [k, resolveExpr(raw[k], vars)])) as Body;
  if (body.namespace !== "AWS/SQS") throw new Unresolved(`namespace ${JSON.stringify(body.namespace)} is not AWS/SQS`);
  const dimensions = (body.dimensions ?? {}) as Record<string, unknown>;
  if (typeof dimensions.QueueName !== "string") throw new Unresolved("no QueueName dimension");
  const evaluationPeriods = positiveInt(body.evaluation_periods, "evaluation_periods");
  const datapointsToAlarm = body.datapoints_to_alarm === undefined ? evaluationPeriods : positiveInt(body.datapoints_to_alarm, "datapoints_to_alarm");
  if (datapointsToAlarm > evaluationPeriods) throw new Unresolved("datapoints_to_alarm exceeds evaluation_periods");
  return {
    resource,
    name: String(body.alarm_name),
    description: typeof body.alarm_description === "string" ? body.alarm_description : "",
    namespace: "AWS/SQS",
    metric: oneOf(body.metric_name, SUPPORTED_METRICS, "metric_name"),
    queueName: dimensions.QueueName,
    statistic: oneOf(body.statistic, STATISTICS, "statistic"),
    periodS: positiveInt(body.period, "period"),
    evaluationPeriods,
    datapointsToAlarm,
    threshold: finite(body.threshold, "threshold"),
    comparison: oneOf(body.comparison_operator, COMPARISONS, "comparison_operator"),
    treatMissingData: body.treat_missing_data === undefined ? "missing" : oneOf(body.treat_missing_data, MISSING_DATA, "treat_missing_data"),
    notifyOn: { ALARM: notifies(raw.alarm_actions), OK: notifies(raw.ok_actions), INSUFFICIENT_DATA: notifies(raw.insufficient_data_actions) },
  };
}

/** Reads every .tf file of the module (another file may add alarms or variables). */
export async function loadAlarmModule(dir = ALARMS_MODULE_DIR, inputs = LOCAL_ALARM_INPUTS): Promise<AlarmModule> {
  const files = readdirSync(dir).filter((f) => f.endsWith(".tf")).sort();
  const parsed = await Promise.all(files.map(async (f) => (await parse(f, readFileSync(join(dir, f), "utf8"))) as Body));
  const vars: Record<string, unknown> = {};
  const locals: Body = {};
  const resources: Array<[string, Body]> = [];
  let topicBody: Body | undefined;
  for (const p of parsed) {
    for (const [name, bodies] of Object.entries((p.variable ?? {}) as Record<string, Body[]>)) {
      if ("default" in bodies[0]) vars[name] = bodies[0].default;
    }
    for (const block of (p.locals ?? []) as Body[]) Object.assign(locals, block);
    const res = (p.resource ?? {}) as Record<string, Record<string, Body[]>>;
    for (const [name, bodies] of Object.entries(res.aws_cloudwatch_metric_alarm ?? {})) resources.push([name, bodies[0]]);
    topicBody ??= res.aws_sns_topic?.this?.[0];
  }
  Object.assign(vars, inputs);
  const alarms: AlarmDefinition[] = [];
  const skipped: AlarmModule["skipped"] = [];
  const read = (name: string, body: Body, context: Record<string, unknown>) => {
    try {
      alarms.push(toDefinition(name, body, context));
    } catch (err) {
      if (!(err instanceof Unresolved)) throw err;
      skipped.push({ resource: name, reason: err.message });
    }
  };
  for (const [name, body] of resources) {
    const map = typeof body.for_each === "string" ? FOR_EACH_LOCAL.exec(body.for_each)?.[1] : undefined;
    if (map === undefined) {
      read(name, body, vars);
      continue;
    }
    const entries = locals[map];
    if (!entries || typeof entries !== "object") throw new Error(`${dir}: aws_cloudwatch_metric_alarm.${name} walks local.${map}, which is not a map of the module`);
    for (const [key, entry] of Object.entries(entries as Record<string, Body>)) {
      const context = { ...vars, [EACH]: entry, [EACH_KEY]: key };
      let enabled: unknown = true;
      try {
        enabled = resolveExpr(entry.enabled ?? true, context);
      } catch (err) {
        if (!(err instanceof Unresolved)) throw err;
      }
      if (enabled === false) skipped.push({ resource: key, reason: "enabled is false with the local inputs" });
      else read(key, body, context);
    }
  }
  if (!topicBody) throw new Error(`${dir}: no aws_sns_topic "this" for the alarms to notify`);
  return { alarms, skipped, topicName: String(resolveExpr(topicBody.name, { ...vars, [EACH_KEY]: TOPIC_KEY })) };
}
