// Regressions of what fault injection found in pricing, each through the
// path production takes: the built bundle, configured by its environment,
// against the emulator, with a recording proxy reading the SQS calls as the
// SDK serialised them.

import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { PRICING_ENV } from "../../src/pricing/config.ts";
import { buildInventoryMessage } from "../helpers/legacy-message.ts";
import { createQueues, EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulator, type Emulator, type QueueSetup } from "../../scripts/emulator.ts";
import { decisionPairs } from "../../scripts/faults/history.ts";
import { spawnNode, type Child } from "../../scripts/lib/process.ts";
import { startSqsProxy, type ProxyHooks, type SqsProxy } from "../../scripts/faults/sqs-proxy.ts";
import { drainQueue } from "../../scripts/faults/stack.ts";
import { eventually } from "../helpers/until.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BUNDLE = join(ROOT, "dist", "pricing.mjs");

interface Rig {
  e: Emulator;
  q: QueueSetup;
  sqs: SQSClient;
  proxy: SqsProxy;
  procs: Child[];
  pricing(extra?: Record<string, string>, viaProxy?: boolean): Promise<Child>;
}

async function withRig(t: TestContext, queue: Parameters<typeof createQueues>[1], hooks: ProxyHooks, fn: (r: Rig) => Promise<void>) {
  if (!existsSync(BUNDLE)) return t.skip("dist/pricing.mjs not built (npm test builds it first)");
  const e = await startEmulator({ port: 0 });
  const q = createQueues(e, queue);
  const sqs = new SQSClient({ region: EMULATOR_REGION, endpoint: e.endpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const proxy = await startSqsProxy(e.endpoint, hooks);
  const procs: Child[] = [];
  const rig: Rig = {
    e, q, sqs, proxy, procs,
    async pricing(extra = {}, viaProxy = true) {
      // Only what a deployment sets: no timing knob, so the defaults must hold.
      const env = { ...EMULATOR_CREDENTIALS, AWS_REGION: EMULATOR_REGION, AWS_ENDPOINT_URL_SQS: viaProxy ? proxy.endpoint : e.endpoint, QUEUE_URL: q.inventoryUrl, PRICE_QUEUE_URL: q.priceUrl, POLICY_FILE: join(ROOT, "examples", "policy.yaml"), PORT: "0", HOST: "127.0.0.1", ...extra };
      const p = spawnNode("pricing", [BUNDLE], env);
      procs.push(p);
      await p.waitFor(/pricing\.ready/, 15_000);
      return p;
    },
  };
  try {
    await fn(rig);
  } finally {
    for (const p of procs) await p.stop("SIGKILL");
    await proxy.close();
    sqs.destroy();
    await e.stop();
  }
}

async function send(sqs: SQSClient, url: string, bodies: string[]) {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }));
  }
}

const update = (sku: string) => JSON.stringify(buildInventoryMessage({ sku, quantity: 3, version: 1 }, `id-${sku}`, "test", new Date().toISOString()));

test("retry and poison: VisibilityTimeout on the wire is the integer backoff (2, then 4), WaitTimeSeconds is the configured default, and both reach the DLQ on schedule", { timeout: 60_000 }, (t) =>
  withRig(t, { maxReceiveCount: 2 }, { fail: (c) => c.action === "SendMessageBatch" }, async (r) => {
    // Every price.decided send fails, so the good update takes the retry path.
    await r.pricing();
    const sentAt = Date.now();
    await send(r.sqs, r.q.inventoryUrl, [update("ABC-1"), "not json at all"]);
    let dlq = 0;
    await eventually(() => (dlq = r.e.server.inspectQueue("inventory-update-dlq")?.messages.ready.length ?? 0) >= 2, { timeoutMs: 20_000, intervalMs: 200 });
    const took = (Date.now() - sentAt) / 1000;
    const visibility = r.proxy.callsOf("ChangeMessageVisibility").map((c) => c.body.VisibilityTimeout);
    assert.deepEqual(visibility, [2, 2, 4, 4], `VisibilityTimeout values sent: ${JSON.stringify(visibility)}`);
    assert.ok(visibility.every((v) => Number.isInteger(v)));
    // The environment sets no wait: the wire carries the default of the service's own table.
    const waits = new Set(r.proxy.callsOf("ReceiveMessage").map((c) => c.body.WaitTimeSeconds));
    assert.deepEqual([...waits], [Number(PRICING_ENV.RECEIVE_WAIT_S.doc.default)]);
    // maxReceiveCount 2: receives at 0 s and 2 s, backoff 4 s, moved at the third receive: about 6 s.
    assert.equal(dlq, 2, `DLQ after ${took} s`);
    assert.ok(took >= 5 && took <= 12, `both in the DLQ after ${took.toFixed(1)} s (schedule: 2 + 4 = 6 s)`);
  }),
);

test("SIGTERM with receives in flight and a non-empty queue: 0 invisible within 1 s of exit; the next process prices each message once", { timeout: 90_000 }, (t) => {
  // The proxy holds every ReceiveMessage answer 1 s: at SIGTERM the emulator
  // has already handed messages to receives that have not answered yet.
  let hold = true;
  return withRig(t, {}, { holdAnswerMs: (c) => (hold && c.action === "ReceiveMessage" ? 1000 : 0) }, async (r) => {
    const skus = Array.from({ length: 200 }, (_, i) => `ABC-T${i}`);
    await send(r.sqs, r.q.inventoryUrl, skus.map(update));
    const first = await r.pricing({ POLLERS: "2", CONCURRENCY: "20" });
    await first.waitFor(/price\.changed/, 20_000);
    await eventually(() => r.proxy.inProgress("ReceiveMessage") > 0, { timeoutMs: 10_000 });
    assert.ok(r.proxy.inProgress("ReceiveMessage") > 0, "a receive is in flight at SIGTERM");
    const exit = await first.stop("SIGTERM", 30_000);
    assert.equal(exit.code, 0);
    const invisible = () => r.e.server.inspectQueue("inventory-update-queue")?.messages.inflight.length;
    await eventually(() => invisible() === 0, { timeoutMs: Math.max(0, exit.at + 1000 - Date.now()) });
    const inflight = invisible();
    assert.equal(inflight, 0, "no message left invisible 1 s after a graceful stop");
    assert.match(first.lines.find((l) => l.includes("pricing.drained")) ?? "", /"released":[1-9]/, "what the receives brought was released");

    hold = false;
    await r.pricing({}, false);
    const decided = new Map<string, number>();
    await eventually(async () => {
      await drainQueue(r.sqs, r.q.priceUrl, (body) => {
        for (const k of decisionPairs(body)) decided.set(k.sku, (decided.get(k.sku) ?? 0) + 1);
      });
      return decided.size >= skus.length;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    assert.deepEqual(skus.filter((s) => !decided.has(s)), [], "every update priced");
    assert.deepEqual([...decided].filter(([, n]) => n > 1), [], "none priced twice");
  });
});

