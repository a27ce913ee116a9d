// Pricing against the SQS emulator with the real SDK: decisions out with the
// policy's prices, poison to the DLQ, SIGTERM mid-burst loses nothing, FIFO order.

import { GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadPricingConfig } from "../../src/pricing/config.ts";
import { startPricing } from "../../src/pricing/service.ts";
import { createLogger } from "../../src/shared/log.ts";
import type { PriceDecidedData } from "../../src/shared/price-decision.ts";
import { buildInventoryMessage } from "../helpers/legacy-message.ts";
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, type Emulator, type QueueSetup } from "../../scripts/emulator.ts";
import { startChild } from "../../scripts/lib/process.ts";
import { emulatorClient, withStack } from "../helpers/emulator-stack.ts";
import { eventually } from "../helpers/until.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const POLICY = join(ROOT, "examples", "policy.yaml");
Object.assign(process.env, EMULATOR_CREDENTIALS);

async function sendUpdates(sqs: SQSClient, queueUrl: string, updates: Array<{ sku: string; quantity: number; version: number }>, fifo = false) {
  const ids: string[] = [];
  for (let i = 0; i < updates.length; i += 10) {
    const entries = updates.slice(i, i + 10).map((u, j) => {
      const id = `u-${i + j}-${u.sku}-${u.version}`;
      ids.push(id);
      const body = JSON.stringify(buildInventoryMessage(u, id, "test", new Date().toISOString()));
      return fifo ? { Id: String(j), MessageBody: body, MessageGroupId: u.sku, MessageDeduplicationId: `${u.sku}:${u.version}` } : { Id: String(j), MessageBody: body };
    });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
  return ids;
}

async function drainDecisions(sqs: SQSClient, queueUrl: string, expected: number, timeoutMs = 20_000): Promise<PriceDecidedData[]> {
  const out: PriceDecidedData[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < expected && Date.now() < deadline) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const ms = r.Messages ?? [];
    if (ms.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: ms.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
    // Each body is a CloudEvents batch; the decision's fields are each event's data.
    out.push(...ms.flatMap((m) => (JSON.parse(m.Body ?? "") as Array<{ data: PriceDecidedData }>).map((ev) => ev.data)));
  }
  return out;
}

async function depth(sqs: SQSClient, queueUrl: string) {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return { visible: Number(r.Attributes?.ApproximateNumberOfMessages), inFlight: Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible) };
}

function config(e: Emulator, q: QueueSetup, extra: Record<string, string> = {}) {
  return loadPricingConfig({ AWS_REGION: EMULATOR_REGION, AWS_ENDPOINT_URL_SQS: e.endpoint, QUEUE_URL: q.inventoryUrl, PRICE_QUEUE_URL: q.priceUrl, POLICY_FILE: POLICY, PORT: "0", HOST: "127.0.0.1", ...extra });
}

const quiet = () => createLogger({ level: "error", write: () => {} });

test("updates in, decisions out on the price queue with the policy's prices", { timeout: 30_000 }, () =>
  withStack({}, async (e, q, sqs) => {
    const service = await startPricing(config(e, q), { log: quiet(), waitTimeS: 1 });
    try {
      await service.whenReady;
      const ids = await sendUpdates(sqs, q.inventoryUrl, [
        { sku: "ABC-1", quantity: 3, version: 1 },
        { sku: "ABC-2", quantity: 600, version: 1 },
        { sku: "TSHIRT-BLUE-L", quantity: 0, version: 1 },
        { sku: "UNKNOWN-1", quantity: 5, version: 1 },
      ]);
      const decisions = await drainDecisions(sqs, q.priceUrl, 3);
      const bySku = Object.fromEntries(decisions.map((d) => [d.sku, [d.price, d.rule, d.currency]]));
      assert.deepEqual(bySku, {
        "ABC-1": [2299, "band:low-stock", "EUR"], // 1999 x 1.15 = 2298.85 -> 2299
        "ABC-2": [3599, "band:overstock", "EUR"], // 4500 x 0.80 = 3600 -> nearest .99 = 35.99 (floor 3375)
        "TSHIRT-BLUE-L": [3299, "band:sold-out", "EUR"], // 2499 x 1.30 = 3248.7 -> 3249; 31.99 and 32.99 are equally near: ties go up
      });
      assert.deepEqual(decisions.map((d) => d.updateId).sort(), ids.slice(0, 3).sort());
      const empty = async () => JSON.stringify(await depth(sqs, q.inventoryUrl)) === JSON.stringify({ visible: 0, inFlight: 0 });
      await eventually(empty, { timeoutMs: 10_000, intervalMs: 50 }); // deletes leave in batches after a short linger
      assert.deepEqual(await depth(sqs, q.inventoryUrl), { visible: 0, inFlight: 0 }, "every message, the unknown SKU's too, is deleted");
      const metrics = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
      assert.match(metrics, /pricing_unknown_sku_total 1/);
      assert.match(metrics, /pricing_sqs_calls_total\{action="DeleteMessageBatch",outcome="ok"\}/);
    } finally {
      await service.stop();
    }
  }));

test("a poison message ends in the DLQ after maxReceiveCount while good ones flow", { timeout: 30_000 }, () =>
  withStack({ maxReceiveCount: 2 }, async (e, q, sqs) => {
    const service = await startPricing(config(e, q), { log: quiet(), waitTimeS: 1, retryBaseS: 0 });
    try {
      await service.whenReady;
      await sqs.send(new SendMessageCommand({ QueueUrl: q.inventoryUrl, MessageBody: '{"type":"inventory.updated","schemaVersion":2}' }));
      await sendUpdates(sqs, q.inventoryUrl, [{ sku: "ABC-1", quantity: 100, version: 1 }, { sku: "ABC-2", quantity: 100, version: 1 }]);
      const decisions = await drainDecisions(sqs, q.priceUrl, 2);
      assert.equal(decisions.length, 2);
      let dlq: Array<{ Body?: string }> = [];
      for (let i = 0; i < 20 && dlq.length === 0; i++) {
        dlq = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, WaitTimeSeconds: 1 }))).Messages ?? [];
      }
      assert.equal(dlq.length, 1);
      assert.match(dlq[0].Body ?? "", /"schemaVersion":2/);
    } finally {
      await service.stop();
    }
  }));

test("FIFO: one SKU's updates are priced in version order", { timeout: 30_000 }, () =>
  withStack({ fifo: true }, async (e, q, sqs) => {
    const service = await startPricing(config(e, q), { log: quiet(), waitTimeS: 1 });
    try {
      await service.whenReady;
      const quantities = [0, 5, 50, 600, 3];
      await sendUpdates(sqs, q.inventoryUrl, quantities.map((quantity, i) => ({ sku: "ABC-1", quantity, version: i + 1 })), true);
      const decisions = await drainDecisions(sqs, q.priceUrl, 5);
      assert.deepEqual(decisions.map((d) => d.version), [1, 2, 3, 4, 5]);
      assert.deepEqual(decisions.map((d) => d.previousPrice), [null, ...decisions.slice(0, -1).map((d) => d.price)]);
    } finally {
      await service.stop();
    }
  }));

test("SIGTERM during a burst loses nothing: finished work deleted, the rest released at once, all priced after a restart", { timeout: 120_000 }, async (t) => {
  const bundle = join(ROOT, "dist", "pricing.mjs");
  if (!existsSync(bundle)) return t.skip("dist/pricing.mjs not built (npm test builds it first)");
  await withStack({}, async (e, q, sqs) => {
    const updates = Array.from({ length: 300 }, (_, i) => ({ sku: `ABC-${i}`, quantity: i % 20, version: 1 }));
    const ids = await sendUpdates(sqs, q.inventoryUrl, updates);
    const env = {
      ...EMULATOR_CREDENTIALS,
      AWS_REGION: EMULATOR_REGION,
      AWS_ENDPOINT_URL_SQS: e.endpoint,
      QUEUE_URL: q.inventoryUrl,
      PRICE_QUEUE_URL: q.priceUrl,
      POLICY_FILE: POLICY,
      PORT: "0",
      HOST: "127.0.0.1",
      POLLERS: "1",
      CONCURRENCY: "5",
    };
    // The longest graceful stop this configuration allows (receives and work in hand within
    // SHUTDOWN_GRACE_MS, then EMIT_DRAIN_MS for decisions), read from the service's own
    // configuration, plus room for a busy machine: only a stop that hangs is killed.
    const configured = loadPricingConfig(env);
    const stopDeadlineMs = configured.SHUTDOWN_GRACE_MS + configured.EMIT_DRAIN_MS + 10_000;
    const first = startChild([bundle], env);
    await first.waitFor(/price\.changed/, 20_000);
    const stopped = await first.stop("SIGTERM", stopDeadlineMs);
    assert.equal(stopped.code, 0, first.lines.slice(-5).join("\n"));
    assert.ok(first.lines.some((l) => l.includes("pricing.drained")));
    const pricedFirst = first.lines.filter((l) => l.includes('"price.changed"') || l.includes('"price.unchanged"')).length;
    assert.ok(pricedFirst > 0 && pricedFirst < 300, `stopped mid-burst (${pricedFirst} of 300 priced by the first process)`);
    assert.equal((await depth(sqs, q.inventoryUrl)).inFlight, 0, "nothing is left invisible after a clean stop");

    const second = startChild([bundle], env);
    const decisions = await drainDecisions(sqs, q.priceUrl, 300, 30_000);
    // Idle by now: its open long poll answers within RECEIVE_WAIT_S + 2 s (7 s by default).
    assert.equal((await second.stop("SIGTERM", stopDeadlineMs)).code, 0);
    const got = new Set(decisions.map((d) => d.updateId));
    assert.deepEqual(ids.filter((id) => !got.has(id)), [], "every update was priced");
    assert.deepEqual(await depth(sqs, q.inventoryUrl), { visible: 0, inFlight: 0 });
    assert.deepEqual(await depth(sqs, q.dlqUrl), { visible: 0, inFlight: 0 });
  });
});
