// The notification CloudWatch publishes to SNS when an alarm changes state,
// field for field (AWS documents it by example: the JSON in the `Message` of
// the SNS notification, with the Subject `ALARM: "name" in <region name>`),
// and the one-line summary the local stack prints.

import type { AlarmDefinition } from "./definitions.ts";
import { comparisonSymbol, type AlarmState, type Evaluation } from "./evaluate.ts";

export interface CloudWatchAlarmMessage {
  AlarmName: string;
  AlarmDescription: string | null;
  AWSAccountId: string;
  AlarmConfigurationUpdatedTimestamp: string;
  NewStateValue: AlarmState;
  NewStateReason: string;
  StateChangeTime: string;
  Region: string;
  AlarmArn: string;
  OldStateValue: AlarmState;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  Trigger: {
    MetricName: string;
    Namespace: string;
    StatisticType: "Statistic";
    Statistic: string;
    Unit: string | null;
    Dimensions: Array<{ value: string; name: string }>;
    Period: number;
    EvaluationPeriods: number;
    DatapointsToAlarm: number;
    ComparisonOperator: string;
    Threshold: number;
    TreatMissingData: string;
    EvaluateLowSampleCountPercentile: string;
  };
}

/** The names CloudWatch writes in `Region` and in the Subject. */
const REGION_NAMES: Record<string, string> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
  "eu-west-1": "EU (Ireland)",
  "eu-west-2": "EU (London)",
  "eu-central-1": "EU (Frankfurt)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-southeast-2": "Asia Pacific (Sydney)",
  "ap-northeast-1": "Asia Pacific (Tokyo)",
};
export const regionName = (region: string) => REGION_NAMES[region] ?? region;

/** CloudWatch's timestamps in alarm messages: 2026-11-26T05:10:00.123+0000. */
export const cwTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

export interface MessageContext {
  region: string;
  /** The topic the alarm notifies; its account is the alarm's account. */
  topicArn: string;
  /** The period actually evaluated (the module's, or --alarm-period-s). */
  periodS: number;
  /** When the alarm was configured (the stack's start). */
  configuredAt: number;
}

export function alarmMessage(def: AlarmDefinition, from: AlarmState, to: Evaluation, at: number, ctx: MessageContext): CloudWatchAlarmMessage {
  const account = ctx.topicArn.split(":")[4] ?? "000000000000";
  const actions = (on: boolean) => (on ? [ctx.topicArn] : []);
  return {
    AlarmName: def.name,
    AlarmDescription: def.description || null,
    AWSAccountId: account,
    AlarmConfigurationUpdatedTimestamp: cwTime(ctx.configuredAt),
    NewStateValue: to.state,
    NewStateReason: to.reason,
    StateChangeTime: cwTime(at),
    Region: regionName(ctx.region),
    AlarmArn: `arn:aws:cloudwatch:${ctx.region}:${account}:alarm:${def.name}`,
    OldStateValue: from,
    OKActions: actions(def.notifyOn.OK),
    AlarmActions: actions(def.notifyOn.ALARM),
    InsufficientDataActions: actions(def.notifyOn.INSUFFICIENT_DATA),
    Trigger: {
      MetricName: def.metric,
      Namespace: def.namespace,
      StatisticType: "Statistic",
      Statistic: def.statistic === "SampleCount" ? "SAMPLE_COUNT" : def.statistic.toUpperCase(),
      Unit: null,
      Dimensions: [{ value: def.queueName, name: "QueueName" }],
      Period: ctx.periodS,
      EvaluationPeriods: def.evaluationPeriods,
      DatapointsToAlarm: def.datapointsToAlarm,
      ComparisonOperator: def.comparison,
      Threshold: def.threshold,
      TreatMissingData: def.treatMissingData,
      EvaluateLowSampleCountPercentile: "",
    },
  };
}

/** SNS limits a Subject to 100 characters; CloudWatch's is `STATE: "name" in Region`. */
export function alarmSubject(m: CloudWatchAlarmMessage): string {
  const s = `${m.NewStateValue}: "${m.AlarmName}" in ${m.Region}`;
  return s.length <= 100 ? s : `${s.slice(0, 97)}...`;
}

const UNITS: Record<string, string> = { ApproximateAgeOfOldestMessage: "s" };

/** `ALARM stockprice-inventory-backlog: 73 messages > 50 for 5 periods`. */
export function summaryLine(def: AlarmDefinition, from: AlarmState, to: Evaluation): string {
  const unit = UNITS[def.metric] ?? "messages";
  const value = to.newest?.value === undefined ? "no data" : `${Number(to.newest.value.toFixed(2))} ${unit}`;
  const cond = `${comparisonSymbol(def.comparison)} ${def.threshold}`;
  if (to.state === "ALARM") {
    const m = def.datapointsToAlarm;
    const span = m === def.evaluationPeriods ? `${m} period${m === 1 ? "" : "s"}` : `${m} of ${def.evaluationPeriods} periods`;
    return `ALARM ${def.name}: ${value} ${cond} for ${span}`;
  }
  if (to.state === "OK") return `OK ${def.name}: ${value}, not ${cond}${from === "ALARM" ? " (was ALARM)" : ""}`;
  return `INSUFFICIENT_DATA ${def.name}: ${to.reason}`;
}
