// The batch limits against fauxqs with the real SDK: the emulator refuses a
// batch over 1 MiB (as SQS does), and the publisher, packing 100 KiB messages,
// never sends one: every call stays within MAX_BATCH_BYTES and 10 entries.

import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { test } from "node:test";
import { createQueues, EMULATOR_REGION, startEmulator } from "../../scripts/emulator.ts";
import { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, messageBytes } from "../../src/shared/limits.ts";
import { Publisher } from "../../src/shared/publisher.ts";

test("fauxqs enforces 1 MiB per batch; the publisher's calls stay within it", { timeout: 60_000 }, async () => {
  const e = await startEmulator({ port: 0 });
  const calls: Array<{ entries: number; bytes: number }> = [];
  const sqs = new SQSClient({ region: EMULATOR_REGION, endpoint: e.endpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    const q = createQueues(e);
    const big = (i: number) => JSON.stringify({ n: i, pad: "x".repeat(99_000) });
    const tooLong = await sqs
      .send(new SendMessageBatchCommand({ QueueUrl: q.inventoryUrl, Entries: Array.from({ length: 3 }, (_, i) => ({ Id: String(i), MessageBody: "y".repeat(400_000) })) }))
      .then(() => undefined, (err: Error) => err);
    assert.match(tooLong?.name ?? "", /BatchRequestTooLong/, "the emulator enforces the batch payload limit");

    const counting = {
      send: (command: SendMessageBatchCommand, options?: { abortSignal?: AbortSignal }) => {
        const entries = command.input.Entries ?? [];
        calls.push({ entries: entries.length, bytes: entries.reduce((n, x) => n + messageBytes(x.MessageBody ?? "", x.MessageAttributes as never), 0) });
        return sqs.send(command, options);
      },
    } as unknown as SQSClient;
    const publisher = new Publisher({ sqs: counting, lingerMs: 5, maxPending: 1000, maxInFlight: 4, maxAttempts: 2, callTimeoutMs: 10_000, packing: { maxMessageBytes: 200_000, maxEventsPerMessage: 1000, maxBatchBytes: MAX_BATCH_BYTES } });
    publisher.start(q.inventoryUrl);
    const results = await publisher.submit(Array.from({ length: 24 }, (_, i) => ({ body: big(i) })));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
    assert.ok(calls.length >= 3, `${calls.length} calls for about 2.4 MB`);
    for (const c of calls) assert.ok(c.bytes <= MAX_BATCH_BYTES && c.entries <= MAX_BATCH_ENTRIES, JSON.stringify(c));
  } finally {
    sqs.destroy();
    await e.stop();
  }
});
