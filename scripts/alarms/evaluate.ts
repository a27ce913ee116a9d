// CloudWatch's evaluation of a metric alarm, as a pure function of the most
// recent datapoints (one per period, oldest first) and the current state.
//
// - Each datapoint is breaching, not breaching, or missing. Missing ones are
//   counted as the alarm says: notBreaching -> good, breaching -> bad;
//   missing and ignore leave them out.
// - At least `datapointsToAlarm` (M) bad datapoints among the last
//   `evaluationPeriods` (N) -> ALARM ("M out of N"; M = N unless set).
// - Fewer -> OK, except when no datapoint of the range is present: then
//   `missing` goes to INSUFFICIENT_DATA and `ignore` keeps the current state.
//   `ignore` also keeps the state while the newest datapoint is missing.
// - Periods before the alarm existed count as missing, as for a new alarm.
// CloudWatch looks further back than N when data is missing under `missing`;
// this evaluator does not (the module's alarms all use notBreaching).

import type { AlarmDefinition, Comparison, Statistic } from "./definitions.ts";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface Datapoint {
  /** Start of the period, epoch ms. */
  time: number;
  /** The statistic of the period's samples; undefined = missing. */
  value: number | undefined;
}

export interface Evaluation {
  state: AlarmState;
  reason: string;
  /** The newest datapoint of the range (present or not). */
  newest: Datapoint | undefined;
}

const WORDS: Record<Comparison, { words: string; symbol: string }> = {
  GreaterThanThreshold: { words: "greater than", symbol: ">" },
  GreaterThanOrEqualToThreshold: { words: "greater than or equal to", symbol: ">=" },
  LessThanThreshold: { words: "less than", symbol: "<" },
  LessThanOrEqualToThreshold: { words: "less than or equal to", symbol: "<=" },
};

export const comparisonSymbol = (c: Comparison) => WORDS[c].symbol;

export function breaches(value: number, threshold: number, c: Comparison): boolean {
  switch (c) {
    case "GreaterThanThreshold":
      return value > threshold;
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
  }
}

export function statistic(samples: number[], s: Statistic): number | undefined {
  if (samples.length === 0) return undefined;
  switch (s) {
    case "Maximum":
      return Math.max(...samples);
    case "Minimum":
      return Math.min(...samples);
    case "Sum":
      return samples.reduce((a, b) => a + b, 0);
    case "Average":
      return samples.reduce((a, b) => a + b, 0) / samples.length;
    case "SampleCount":
      return samples.length;
  }
}

/** CloudWatch prints numbers as Java doubles: 73.0, 0.5. */
export const cwNumber = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));

const pad = (n: number) => String(n).padStart(2, "0");
/** The datapoint timestamp of a CloudWatch state reason: dd/MM/yy HH:mm:ss (UTC). */
export function reasonTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function evaluate(def: AlarmDefinition, history: Datapoint[], current: AlarmState): Evaluation {
  const n = def.evaluationPeriods;
  const range = history.slice(-n);
  const newest = range.at(-1);
  const present = range.filter((d): d is { time: number; value: number } => d.value !== undefined);
  const bad = present.filter((d) => breaches(d.value, def.threshold, def.comparison));
  const good = present.filter((d) => !breaches(d.value, def.threshold, def.comparison));
  const missing = n - present.length;
  const badCount = bad.length + (def.treatMissingData === "breaching" ? missing : 0);
  const goodCount = good.length + (def.treatMissingData === "notBreaching" ? missing : 0);
  const cmp = WORDS[def.comparison].words;
  const list = (points: Array<{ time: number; value: number }>) =>
    `[${[...points].reverse().map((d) => `${cwNumber(d.value)} (${reasonTime(d.time)})`).join(", ")}]`;
  if (badCount >= def.datapointsToAlarm) {
    return {
      state: "ALARM",
      newest,
      reason:
        `Threshold Crossed: ${badCount} out of the last ${n} datapoints ${list(bad)} ${badCount === 1 ? "was" : "were"} ${cmp} the threshold ` +
        `(${cwNumber(def.threshold)}) (minimum ${plural(def.datapointsToAlarm, "datapoint")} for OK -> ALARM transition).`,
    };
  }
  const ignoring = def.treatMissingData === "ignore" && (goodCount === 0 || newest?.value === undefined);
  if (ignoring) return { state: current, newest, reason: "" };
  if (goodCount === 0) {
    return { state: "INSUFFICIENT_DATA", newest, reason: `Insufficient Data: ${plural(missing, "datapoint")} ${missing === 1 ? "was" : "were"} unknown.` };
  }
  return {
    state: "OK",
    newest,
    reason:
      `Threshold Crossed: ${goodCount} out of the last ${n} datapoints ${list(good)} ${goodCount === 1 ? "was" : "were"} not ${cmp} the threshold ` +
      `(${cwNumber(def.threshold)}) (minimum 1 datapoint for ALARM -> OK transition).`,
  };
}
