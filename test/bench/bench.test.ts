// The bench's own accounting: billed requests as SQS bills them (every 64 KiB
// of a call's payload), the packed preload staying within a billing chunk, and
// docs/performance.md's measured part being exactly bench/results/latest.md's.

import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { withPerfSection } from "../../bench/readme.ts";
import { updateBodies } from "../../bench/rounds.ts";
import { BATCH_ATTRIBUTES, readInventoryBody } from "../../src/shared/events.ts";
import { BILLING_CHUNK_BYTES, billedRequests, messageBytes } from "../../src/shared/limits.ts";
import { startChild } from "../../scripts/lib/process.ts";

const ROOT = join(import.meta.dirname, "..", "..");

test("docs/performance.md's measured part is latest.md's curve, profile and targets, figure for figure", () => {
  const page = readFileSync(join(ROOT, "docs", "performance.md"), "utf8");
  const latest = readFileSync(join(ROOT, "bench", "results", "latest.md"), "utf8");
  assert.equal(withPerfSection(page, latest), page, "run node bench/readme.ts after a bench run");
  assert.match(page, /### Cost and latency against BATCH_LINGER_MS/);
  assert.match(page, /\| BATCH_LINGER_MS \|/);
  assert.match(page, /### Where inventory's CPU goes/);
  assert.match(page, /\| target \| result \|/);
  assert.match(latest, /\| target \| result \|/);
});

test("billed requests: one per started 64 KiB of payload, at least one per call", () => {
  assert.deepEqual([0, 1, BILLING_CHUNK_BYTES, BILLING_CHUNK_BYTES + 1, 10 * BILLING_CHUNK_BYTES].map(billedRequests), [1, 1, 1, 2, 10]);
});

test("the stub bills sends and receives by payload, as SQS does", async () => {
  const stub = startChild([join(ROOT, "bench", "sqs-server.ts"), "--latency-ms", "0"], {});
  try {
    const url = `http://127.0.0.1:${JSON.parse(await stub.waitFor(/"port"/)).port}`;
    const sqs = new SQSClient({ region: "us-east-1", endpoint: url, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "x", secretAccessKey: "y" } });
    const QueueUrl = `${url}/000000000000/billing`;
    const big = "x".repeat(40_000);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: big }, { Id: "b", MessageBody: big }] }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "c", MessageBody: "small" }] }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const stats = await (await fetch(`${url}/__stats`)).json();
    sqs.destroy();
    assert.deepEqual(stats.counts, { SendMessageBatch: 2, ReceiveMessage: 1 });
    assert.deepEqual(stats.billed, { SendMessageBatch: 3, ReceiveMessage: 2 }, "80,000 bytes are two chunks; 80,005 received are two");
  } finally {
    await stub.stop();
  }
});

test("the packed preload fills messages up to one billing chunk and loses no update", () => {
  const bodies = updateBodies(1000, true);
  assert.ok(bodies.every((b) => messageBytes(b, BATCH_ATTRIBUTES) <= BILLING_CHUNK_BYTES));
  assert.ok(bodies.length <= 7, `${bodies.length} messages for 1000 updates`);
  const ids = bodies.flatMap((b) => readInventoryBody(b).items.map((i) => (i.ok ? i.update.id : "bad")));
  assert.equal(new Set(ids).size, 1000);
  assert.equal(updateBodies(5, false).length, 5);
});
