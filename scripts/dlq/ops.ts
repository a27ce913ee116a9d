// The DLQ's way back, as three operations on an SQS client (scripts/dlq.ts
// is the command line): peek at what is there without taking it, start a
// move task back to the source queue, follow the task to its end.
//
// SQS calls, all of them (modules/queue grants exactly these to the
// redrive roles, plus what SQS itself needs to run a move task with the
// caller's rights: sqs:DeleteMessage on the DLQ, sqs:SendMessage on the source):
// GetQueueUrl, GetQueueAttributes, ReceiveMessage (visibility 0),
// StartMessageMoveTask, ListMessageMoveTasks.

import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type Message,
} from "@aws-sdk/client-sqs";
import type { SqsPort } from "../../src/shared/sqs.ts";

export const DLQ_ACTIONS = ["GetQueueUrl", "GetQueueAttributes", "ReceiveMessage", "StartMessageMoveTask", "ListMessageMoveTasks"] as const;

export interface Queues {
  dlqUrl: string;
  dlqArn: string;
  sourceArn: string;
}

async function arnOf(sqs: SqsPort, url: string): Promise<string> {
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  const arn = a.Attributes?.QueueArn;
  if (!arn) throw new Error(`no QueueArn for ${url}`);
  return arn;
}

export async function resolveQueues(sqs: SqsPort, dlqName: string, sourceName: string): Promise<Queues> {
  const dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }))).QueueUrl!;
  const sourceUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: sourceName }))).QueueUrl!;
  return { dlqUrl, dlqArn: await arnOf(sqs, dlqUrl), sourceArn: await arnOf(sqs, sourceUrl) };
}

export interface Peeked {
  id: string;
  receives: number;
  sentAt: string | undefined;
  from: string | undefined;
  /** Why it failed: the error-* attributes pricing sets (src/pricing/dead-letter.ts), or the redrive. */
  why: string;
  attributes: Record<string, string>;
  bodyBytes: number;
  preview: string;
}

const SECRET_KEY = /token|authorization|secret|password|api[-_]?key/i;

/** The first bytes of a body with anything that looks like a credential masked. */
export function preview(body: string, bytes: number): string {
  const masked = body
    .replace(/(Bearer\s+)[^\s"',}]+/gi, "$1***")
    .replace(/("([^"\\]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/g, (m, head: string, key: string) => (SECRET_KEY.test(key) ? `${head}"***"` : m));
  const cut = Buffer.from(masked).subarray(0, bytes).toString("utf8");
  return cut.length < masked.length ? `${cut}...` : cut;
}

function describe(m: Message, bytes: number): Peeked {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) attributes[k] = SECRET_KEY.test(k) ? "***" : String(v.StringValue ?? `(${v.DataType})`);
  const sys = m.Attributes ?? {};
  const why = attributes["error-code"]
    ? `${attributes["error-code"]} in ${attributes["error-field"] ?? "?"}: ${attributes["error-message"] ?? ""}`
    : `moved by the redrive policy after ${sys.ApproximateReceiveCount ?? "?"} receives (a body pricing could not read, or pricing failed on it each time)`;
  return {
    id: m.MessageId ?? "?",
    receives: Number(sys.ApproximateReceiveCount ?? 0),
    sentAt: sys.SentTimestamp ? new Date(Number(sys.SentTimestamp)).toISOString() : undefined,
    from: sys.DeadLetterQueueSourceArn,
    why,
    attributes,
    bodyBytes: Buffer.byteLength(m.Body ?? ""),
    preview: preview(m.Body ?? "", bytes),
  };
}

/**
 * Up to `max` messages, received with visibility 0 so they stay in the DLQ
 * for everyone else (each look adds one to their receive count). Stops
 * after `maxCalls` receives or when a receive brings nothing new.
 */
export async function peek(sqs: SqsPort, dlqUrl: string, max: number, bytes: number, maxCalls = 10): Promise<Peeked[]> {
  const seen = new Map<string, Peeked>();
  for (let call = 0; call < maxCalls && seen.size < max; call++) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        VisibilityTimeout: 0,
        WaitTimeSeconds: call === 0 ? 1 : 0,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    const fresh = (out.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(m.MessageId!, describe(m, bytes));
  }
  return [...seen.values()];
}

/** Starts moving the DLQ's messages back to the source queue; returns the task handle. */
export async function redrive(sqs: SqsPort, q: Queues, maxPerSecond?: number): Promise<string> {
  const out = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.dlqArn, DestinationArn: q.sourceArn, ...(maxPerSecond === undefined ? {} : { MaxNumberOfMessagesPerSecond: maxPerSecond }) }));
  return out.TaskHandle ?? "";
}

export const DONE = new Set(["COMPLETED", "CANCELLED", "FAILED"]);

/** The newest move task of the DLQ, followed until it ends or `timeoutMs` passes (0: one look). */
export async function status(sqs: SqsPort, dlqArn: string, opts: { timeoutMs: number; everyMs: number; sleep?: (ms: number) => Promise<void>; onUpdate?: (t: ListMessageMoveTasksResultEntry) => void }): Promise<ListMessageMoveTasksResultEntry | undefined> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + opts.timeoutMs;
  for (let i = 0; i < 10_000; i++) {
    const out = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }));
    const task = out.Results?.[0];
    if (task) opts.onUpdate?.(task);
    if (!task || DONE.has(task.Status ?? "") || Date.now() + opts.everyMs > deadline) return task;
    await sleep(opts.everyMs);
  }
  return undefined;
}
