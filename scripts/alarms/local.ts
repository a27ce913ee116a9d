// The alarms of modules/alarms, run against the local stack's emulator:
// the module's SNS topic (stockprice-alerts) with one SQS queue subscribed
// to it (stockprice-alerts-inbox, raw delivery off, as an e-mail filter or a
// chat forwarder would see the notifications through SQS), the metrics read
// from the emulator, every state change published to the topic, optionally
// POSTed to a webhook, and summarised on one line.

import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient, type QueueAttributeName } from "@aws-sdk/client-sqs";
import type { Emulator } from "../emulator.ts";
import { loadAlarmModule, type AlarmModule, type QueueMetric } from "./definitions.ts";
import { startMonitor, type MetricReader, type Monitor, type StateChange } from "./monitor.ts";
import { alarmMessage, alarmSubject, summaryLine } from "./notification.ts";
import { postWebhook, publish, snsEnvelope } from "./sns.ts";

export const DEFAULT_ALARM_PERIOD_S = 60;

export const inboxQueueName = (topicName: string) => `${topicName}-inbox`;

export interface LocalAlarmsOptions {
  emulator: Emulator;
  region: string;
  /** Replaces the module's period (seconds); 60 by default, as in the module. */
  periodS?: number;
  webhookUrl?: string;
  /** Receives the summary lines; `standout` marks ALARM and the OK that ends one. */
  output: (line: string, standout: boolean) => void;
  /** The module folder (tests point it at a copy). */
  moduleDir?: string;
}

export interface LocalAlarms {
  module: AlarmModule;
  topicArn: string;
  inboxUrl: string;
  periodS: number;
  monitor: Monitor;
  stop(): Promise<void>;
}

const ATTRIBUTE: Partial<Record<QueueMetric, QueueAttributeName>> = {
  ApproximateNumberOfMessagesVisible: "ApproximateNumberOfMessages",
  ApproximateNumberOfMessagesNotVisible: "ApproximateNumberOfMessagesNotVisible",
  ApproximateNumberOfMessagesDelayed: "ApproximateNumberOfMessagesDelayed",
};

/**
 * Queue depths come from GetQueueAttributes, as SQS's own CloudWatch metrics
 * do. The age of the oldest message is not a queue attribute: it is read from
 * the emulator's non-destructive inspection (ready and in-flight messages).
 */
export function emulatorMetrics(emulator: Emulator, sqs: SQSClient, now = Date.now): MetricReader {
  const urls = new Map<string, string>();
  return async (queueName, metric) => {
    if (metric === "ApproximateAgeOfOldestMessage") {
      const q = emulator.server.inspectQueue(queueName);
      if (!q) return undefined;
      const sent = [...q.messages.ready, ...q.messages.inflight.map((i) => i.message)].map((m) => m.sentTimestamp);
      return sent.length ? Math.max(0, Math.floor((now() - Math.min(...sent)) / 1000)) : 0;
    }
    let url = urls.get(queueName);
    if (!url) {
      url = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
      if (!url) return undefined;
      urls.set(queueName, url);
    }
    const name = ATTRIBUTE[metric]!;
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [name] }));
    const raw = out.Attributes?.[name];
    return raw === undefined ? undefined : Number(raw);
  };
}

export async function startLocalAlarms(o: LocalAlarmsOptions): Promise<LocalAlarms> {
  const module = await loadAlarmModule(o.moduleDir);
  const periodS = o.periodS ?? DEFAULT_ALARM_PERIOD_S;
  const { server, endpoint } = o.emulator;
  const { topicArn } = server.createTopic(module.topicName, { region: o.region });
  const inboxName = inboxQueueName(module.topicName);
  const inbox = (o.emulator.persistent ? server.inspectQueue(inboxName) : undefined)?.url ?? server.createQueue(inboxName).queueUrl;
  server.subscribe({ topic: module.topicName, queue: inboxName, region: o.region });

  const sqs = new SQSClient({ region: o.region, endpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const configuredAt = Date.now();
  const onChange = async (c: StateChange) => {
    const standout = c.to.state === "ALARM" || (c.to.state === "OK" && c.from === "ALARM");
    o.output(summaryLine(c.alarm, c.from, c.to), standout);
    if (!c.alarm.notifyOn[c.to.state]) return;
    const message = alarmMessage(c.alarm, c.from, c.to, c.at, { region: o.region, topicArn, periodS, configuredAt });
    const subject = alarmSubject(message);
    const body = JSON.stringify(message);
    try {
      const id = await publish(endpoint, topicArn, subject, body);
      if (o.webhookUrl) {
        const status = await postWebhook(o.webhookUrl, snsEnvelope(topicArn, id, subject, body));
        if (status >= 300) o.output(`alarm webhook ${o.webhookUrl} answered ${status}`, false);
      }
    } catch (err) {
      o.output(`alarm notification for ${c.alarm.name} not delivered: ${(err as Error).message}`, false);
    }
  };
  const monitor = startMonitor({ alarms: module.alarms, periodS, read: emulatorMetrics(o.emulator, sqs), onChange });
  for (const s of module.skipped) o.output(`alarm ${s.resource} not evaluated locally: ${s.reason}`, false);
  return {
    module,
    topicArn,
    inboxUrl: inbox,
    periodS,
    monitor,
    async stop() {
      await monitor.stop();
      sqs.destroy();
    },
  };
}
