// Reading a queue back in tests: receive (long poll 1 s), delete what came,
// hand each body on, until the caller has what it waits for or time is up.

import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { readPriceDecisions } from "../../scripts/price-decisions.ts";
import type { PriceDecidedData } from "../../src/shared/price-decision.ts";

/** Takes messages off `queueUrl` into `onBody` until `done()` or `timeoutMs`. */
export async function takeUntil(sqs: SQSClient, queueUrl: string, onBody: (body: string) => void, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const messages = out.Messages ?? [];
    if (messages.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
    for (const m of messages) onBody(m.Body ?? "");
  }
}

/** The price decisions for the update ids in `ids` found on `queueUrl` within `timeoutMs`, by update id. */
export async function readDecisions(sqs: SQSClient, queueUrl: string, ids: Set<string>, timeoutMs: number): Promise<Map<string, PriceDecidedData>> {
  const found = new Map<string, PriceDecidedData>();
  const collect = (body: string) => {
    for (const d of readPriceDecisions(body)) if (ids.has(d.updateId)) found.set(d.updateId, d);
  };
  await takeUntil(sqs, queueUrl, collect, () => found.size >= ids.size, timeoutMs);
  return found;
}
