// One fault scenario's system: the SQS emulator as its own process (with a
// data directory when the scenario kills it), dist/inventory.mjs and
// dist/pricing.mjs as processes, an SDK client for reading the queues back,
// and an RSS sampler. Everything it starts it stops by pid.

import { GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { HEAP_FLAGS, MALLOC_TUNABLES } from "../../src/shared/config/shared-vars.ts";
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, type QueueSetup } from "../emulator.ts";
import { spawnNode, type Child } from "../lib/process.ts";
import { RssSampler } from "./procs.ts";
import { startSqsProxy, type ProxyHooks, type SqsProxy } from "./sqs-proxy.ts";

export const ROOT = resolve(import.meta.dirname, "..", "..");

/** Receives and deletes everything visible in `queueUrl` now; each body goes to `onBody`. */
export async function drainQueue(sqs: SQSClient, queueUrl: string, onBody: (body: string) => void): Promise<number> {
  let n = 0;
  for (let round = 0; round < 10_000; round++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const ms = r.Messages ?? [];
    if (ms.length === 0) break;
    for (const m of ms) onBody(m.Body ?? "");
    n += ms.length;
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: ms.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
  }
  return n;
}

export interface FaultStackOptions {
  /** Keep the emulator's state on disk (scenarios that kill it). */
  persistent?: boolean;
  visibilityS: number;
  maxReceive: number;
  inventoryEnv?: Record<string, string>;
  /** Node flags for the inventory process, after the Deployments' heap cap. */
  inventoryNodeArgs?: string[];
  pricingEnv?: Record<string, string>;
  /** Node flags for the pricing process, after the Deployments' heap cap. */
  pricingNodeArgs?: string[];
  /** Put a recording proxy between the services and the emulator. */
  proxy?: ProxyHooks;
}

export class FaultStack {
  readonly o: FaultStackOptions;
  readonly token = `fault-${randomBytes(12).toString("hex")}`;
  readonly rss = new RssSampler(200);
  readonly dataDir: string | undefined;
  emulator!: Child;
  sqsPort = 0;
  queues!: QueueSetup;
  sqs!: SQSClient;
  proxy: SqsProxy | undefined;
  inventory: Child | undefined;
  inventoryUrl = "";
  pricing: Child | undefined;
  readonly #all: Child[] = [];

  constructor(o: FaultStackOptions) {
    this.o = o;
    this.dataDir = o.persistent ? mkdtempSync(join(tmpdir(), "stockprice-faults-")) : undefined;
  }

  static async start(o: FaultStackOptions, services: { pricing?: boolean } = {}): Promise<FaultStack> {
    const s = new FaultStack(o);
    await s.startEmulator();
    s.sqs = new SQSClient({ region: EMULATOR_REGION, endpoint: `http://127.0.0.1:${s.sqsPort}`, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    if (o.proxy) s.proxy = await startSqsProxy(`http://127.0.0.1:${s.sqsPort}`, o.proxy);
    await s.startInventory();
    if (services.pricing !== false) await s.startPricing();
    return s;
  }

  #track(p: Child): Child {
    this.#all.push(p);
    this.rss.watch(p);
    return p;
  }

  /** Starts (or restarts, on the same port and data directory) the emulator. */
  async startEmulator(): Promise<void> {
    const args = [join(ROOT, "scripts", "faults", "emulator-main.ts"), "--port", String(this.sqsPort), "--visibility", String(this.o.visibilityS), "--max-receive", String(this.o.maxReceive)];
    if (this.dataDir) args.push("--data-dir", this.dataDir);
    this.emulator = this.#track(spawnNode("emulator", args, {}));
    const ready = JSON.parse(await this.emulator.waitFor(/"ready":true/, 15_000)) as QueueSetup & { port: number };
    this.sqsPort = ready.port;
    this.queues = { inventoryUrl: ready.inventoryUrl, dlqUrl: ready.dlqUrl, priceUrl: ready.priceUrl };
  }

  #serviceEnv(): Record<string, string> {
    return {
      ...EMULATOR_CREDENTIALS,
      AWS_REGION: EMULATOR_REGION,
      AWS_ENDPOINT_URL_SQS: this.proxy?.endpoint ?? `http://127.0.0.1:${this.sqsPort}`,
      QUEUE_URL: this.queues.inventoryUrl,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      // As the Deployments set it.
      GLIBC_TUNABLES: MALLOC_TUNABLES,
    };
  }

  async startInventory(): Promise<Child> {
    const p = this.#track(spawnNode("inventory", [...HEAP_FLAGS, ...(this.o.inventoryNodeArgs ?? []), join(ROOT, "dist", "inventory.mjs")], { ...this.#serviceEnv(), AUTH_TOKENS: this.token, ...this.o.inventoryEnv }));
    const line = await p.waitFor(/inventory\.ready/, 15_000);
    const port = /"port":(\d+)/.exec(p.lines.find((l) => l.includes("inventory.listening")) ?? "")?.[1];
    if (!port) throw new Error(`inventory: no port in its log (${line})`);
    this.inventory = p;
    this.inventoryUrl = `http://127.0.0.1:${port}`;
    return p;
  }

  /** Starts pricing; `overrides` replace the stack's settings for this process only. */
  async startPricing(overrides: Record<string, string> = {}): Promise<Child> {
    const env = {
      ...this.#serviceEnv(),
      PRICE_QUEUE_URL: this.queues.priceUrl,
      POLICY_FILE: join(ROOT, "examples", "policy.yaml"),
      VISIBILITY_TIMEOUT_S: String(this.o.visibilityS),
      // Short long polls so that stopping an idle pricing takes ~1 s, not ~20 s.
      RECEIVE_WAIT_S: "1",
      ...this.o.pricingEnv,
      ...overrides,
    };
    const p = this.#track(spawnNode("pricing", [...HEAP_FLAGS, ...(this.o.pricingNodeArgs ?? []), join(ROOT, "dist", "pricing.mjs")], env));
    await p.waitFor(/pricing\.ready/, 15_000);
    this.pricing = p;
    return p;
  }

  async depth(queueUrl: string): Promise<{ visible: number; invisible: number }> {
    const r = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
    return { visible: Number(r.Attributes?.ApproximateNumberOfMessages ?? NaN), invisible: Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? NaN) };
  }

  drainQueue(queueUrl: string, onBody: (body: string) => void): Promise<number> {
    return drainQueue(this.sqs, queueUrl, onBody);
  }

  /**
   * Waits until the inventory queue holds nothing (visible or not) and the
   * DLQ holds `dlq` messages, collecting decisions meanwhile. Returns the
   * time it took and what is still invisible then.
   */
  async settle(onDecision: (body: string) => void, o: { timeoutMs: number; dlq?: number }): Promise<{ settleMs: number; invisible: number; settled: boolean }> {
    const started = Date.now();
    for (;;) {
      await this.drainQueue(this.queues.priceUrl, onDecision);
      const q = await this.depth(this.queues.inventoryUrl);
      const dead = await this.depth(this.queues.dlqUrl);
      const done = q.visible === 0 && q.invisible === 0 && dead.visible + dead.invisible >= (o.dlq ?? 0);
      if (done || Date.now() - started > o.timeoutMs) {
        await sleep(300); // decisions sent just before the last delete
        await this.drainQueue(this.queues.priceUrl, onDecision);
        return { settleMs: Date.now() - started, invisible: q.invisible, settled: done };
      }
      await sleep(250);
    }
  }

  async stop(): Promise<void> {
    this.rss.close();
    await Promise.all(this.#all.map((p) => p.stop("SIGTERM", 30_000).catch(() => {})));
    await this.proxy?.close();
    this.sqs?.destroy();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
