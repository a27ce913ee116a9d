// One fault scenario's system, on the local stack's parts (scripts/lib/stack.ts):
// the SQS emulator as its own process (with a data directory when the scenario
// kills it), dist/inventory.mjs and dist/pricing.mjs as processes with the
// Deployments' heap cap and malloc settings, optionally a recording proxy in
// front of the emulator, an SDK client for reading the queues back, and an RSS
// sampler. Everything it starts it stops by pid.

import { GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { HEAP_FLAGS, MALLOC_TUNABLES } from "../../src/shared/config/shared-vars.ts";
import { emulatorClient, type QueueSetup } from "../emulator.ts";
import type { Child } from "../lib/process.ts";
import { serviceEnv, serviceReady, spawnService, startEmulatorProcess, type Service, type StartedService } from "../lib/stack.ts";
import { RssSampler } from "./procs.ts";
import { startSqsProxy, type ProxyHooks, type SqsProxy } from "./sqs-proxy.ts";

export { ROOT } from "../lib/stack.ts";

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

/**
 * Receives before the suite's queue moves a message to the DLQ: fewer than
 * production's DEFAULT_MAX_RECEIVE_COUNT, whose backoff (about 13.5 minutes)
 * is too long for a run.
 */
export const SUITE_MAX_RECEIVE = 5;

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
    s.sqs = emulatorClient(`http://127.0.0.1:${s.sqsPort}`);
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
    const e = await startEmulatorProcess({ port: this.sqsPort, dataDir: this.dataDir, visibilityS: this.o.visibilityS, maxReceive: this.o.maxReceive });
    this.emulator = this.#track(e.child);
    this.sqsPort = e.port;
    this.queues = e.queues;
  }

  #start(service: Service, env: Record<string, string>): Promise<StartedService> {
    const nodeArgs = [...HEAP_FLAGS, ...((service === "inventory" ? this.o.inventoryNodeArgs : this.o.pricingNodeArgs) ?? [])];
    return serviceReady(this.#track(spawnService(service, env, { nodeArgs })), service, 15_000);
  }

  #env(service: Service, extra: Record<string, string>): Record<string, string> {
    const endpoint = this.proxy?.endpoint ?? `http://127.0.0.1:${this.sqsPort}`;
    // GLIBC_TUNABLES as the Deployments set it.
    return serviceEnv(service, { endpoint, queues: this.queues, token: this.token }, { GLIBC_TUNABLES: MALLOC_TUNABLES, ...extra });
  }

  async startInventory(): Promise<Child> {
    const started = await this.#start("inventory", this.#env("inventory", { ...this.o.inventoryEnv }));
    this.inventoryUrl = started.url;
    return (this.inventory = started.child);
  }

  /** Starts pricing; `overrides` replace the stack's settings for this process only. */
  async startPricing(overrides: Record<string, string> = {}): Promise<Child> {
    // Short long polls so that stopping an idle pricing takes ~1 s, not ~20 s.
    const env = this.#env("pricing", { VISIBILITY_TIMEOUT_S: String(this.o.visibilityS), RECEIVE_WAIT_S: "1", ...this.o.pricingEnv, ...overrides });
    return (this.pricing = (await this.#start("pricing", env)).child);
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
