// Shared by the alarm tests: the backlog alarm, the CloudWatch message schema and a reader of
// the notifications that arrive on the queue subscribed to the alarm topic.

import type { SQSClient } from "@aws-sdk/client-sqs";
import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AlarmDefinition } from "../../scripts/alarms/definitions.ts";
import type { SnsEnvelope } from "../../scripts/alarms/sns.ts";
import type { CloudWatchAlarmMessage } from "../../scripts/alarms/notification.ts";
import { takeUntil } from "./queue.ts";

/** The backlog alarm as modules/alarms defines it (its description shortened). */
export const BACKLOG: AlarmDefinition = {
  resource: "backlog",
  name: "stockprice-inventory-backlog",
  description: "More than 50 stock updates waiting",
  namespace: "AWS/SQS",
  metric: "ApproximateNumberOfMessagesVisible",
  queueName: "inventory-update-queue",
  statistic: "Maximum",
  periodS: 60,
  evaluationPeriods: 5,
  datapointsToAlarm: 5,
  threshold: 50,
  comparison: "GreaterThanThreshold",
  treatMissingData: "notBreaching",
  notifyOn: { ALARM: true, OK: true, INSUFFICIENT_DATA: false },
};

const schema = JSON.parse(readFileSync(join(import.meta.dirname, "..", "stack", "alarm-message.schema.json"), "utf8"));
const validator = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** The schema's errors for one CloudWatch alarm message; empty when it conforms. */
export function schemaErrors(message: unknown): string[] {
  return validator(message) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export interface Received {
  envelope: SnsEnvelope;
  message: CloudWatchAlarmMessage;
}

/** Reads (and deletes) notifications until one for `alarm` goes `from` -> `to`; everything read is kept in `seen`. */
export async function waitForNotification(
  sqs: SQSClient,
  queueUrl: string,
  change: { alarm: string; from?: string; to: string },
  seen: Received[],
  timeoutMs: number,
): Promise<Received> {
  const { alarm, from, to: state } = change;
  const match = () => seen.find((r) => r.message.AlarmName === alarm && r.message.NewStateValue === state && (from === undefined || r.message.OldStateValue === from));
  const take = (body: string) => {
    const envelope = JSON.parse(body) as SnsEnvelope;
    seen.push({ envelope, message: JSON.parse(envelope.Message) });
  };
  await takeUntil(sqs, queueUrl, take, () => match() !== undefined, timeoutMs);
  const found = match();
  if (!found) throw new Error(`no ${state} notification for ${alarm} within ${timeoutMs} ms; got: ${seen.map((r) => `${r.message.AlarmName}=${r.message.NewStateValue}`).join(", ")}`);
  return found;
}
