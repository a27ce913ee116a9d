// One measured run of each kind: an inventory variant under load, a pricing
// variant draining a preloaded queue, inventory and pricing end to end, and a
// cold start. Each starts its own SQS stub and stops every process it starts.

import { mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BATCH_ATTRIBUTES, batchBody, inventoryUpdatedEvent } from "../src/shared/events.ts";
import { BILLING_CHUNK_BYTES, messageBytes } from "../src/shared/limits.ts";
import { freePort, rssMb, startChild } from "../scripts/lib/process.ts";
import { NODE_FLAGS } from "../src/shared/config/shared-vars.ts";
import { VARIANT_BUNDLE } from "./build.ts";
import { benchEnv, cpuUs, drained, load, ROOT, startStub, TOKEN, total } from "./measure.ts";

export interface Settings { kind: "stub" | "fauxqs"; latencyMs: number; durationS: number; updates: number }

export const SHIPPED = { inventory: join(ROOT, "dist", "inventory.mjs"), pricing: join(ROOT, "dist", "pricing.mjs") };

export const INVENTORY_VARIANTS = {
  floor: { label: "floor: bare node:http (read, JSON.parse, 202)", args: [join(ROOT, "bench", "variants", "floor.mjs")], env: {} },
  packed: { label: "packed (SDK's node:http handler)", args: [VARIANT_BUNDLE], env: { HANDLER: "default" } },
  packedUndici: { label: "packed, undici handler", args: [VARIANT_BUNDLE], env: { HANDLER: "undici" } },
  packedNoMd5: { label: "packed, MD5 check off", args: [VARIANT_BUNDLE], env: { HANDLER: "default", SQS_VERIFY_MD5: "false" } },
  single: { label: "one update per message (before packing)", args: [VARIANT_BUNDLE], env: { HANDLER: "default", MAX_UPDATES_PER_MESSAGE: "1" } },
  singleUndici: { label: "one update per message, undici", args: [VARIANT_BUNDLE], env: { HANDLER: "undici", MAX_UPDATES_PER_MESSAGE: "1" } },
  naive: { label: "naive: SendMessage per update", args: [join(ROOT, "bench", "variants", "naive.ts")], env: { VARIANT: "naive" } },
  ceiling: { label: "same HTTP path, publishing off", args: [join(ROOT, "bench", "variants", "ceiling.ts")], env: {} },
} as const;
export type InventoryVariant = keyof typeof INVENTORY_VARIANTS;

/**
 * Seconds of load each inventory variant serves, unmeasured, before its
 * measured run, and likewise a pricing variant drains one backlog first.
 * V8 compiles the hot paths on its worker threads during the first seconds
 * of load: measured on the shipped inventory, 109, 77 then 60 us of CPU per
 * update in three consecutive 3 s runs, of which 37, 19 then 12 on worker
 * threads. That is a one-off per process (the cold start is measured on its
 * own); a service runs for hours, so the figures are the steady state.
 */
export const WARMUP_S = 3;

export interface InventoryRun { variant: string; rps: number; ok: number; non2xx: number; p50: number; p99: number; cpuUsPerUpdate: number; callsPerUpdate: number; billedPerUpdate: number; rssMb: number }

export async function inventoryRound(s: Settings, variant: InventoryVariant): Promise<InventoryRun> {
  const stub = await startStub(s.kind, s.latencyMs);
  const port = await freePort();
  const v = INVENTORY_VARIANTS[variant];
  const server = startChild([...v.args], benchEnv("inventory", { endpoint: stub.url, queues: stub.queues, token: TOKEN, port }, v.env));
  try {
    await server.waitFor(/inventory\.(ready|listening)/, 15_000);
    const url = `http://127.0.0.1:${port}/v1/inventory`;
    await load(url, 64, Math.min(WARMUP_S, s.durationS));
    await sleep(300);
    const pid = server.proc.pid!;
    const before = await stub.stats();
    const cpu0 = cpuUs(pid);
    const r = await load(url, 64, s.durationS);
    const cpu = cpuUs(pid) - cpu0;
    const stats = await stub.stats();
    const ok = Math.max(1, r.ok);
    const calls = total(stats.counts) - total(before.counts);
    const billed = total(stats.billed) - total(before.billed);
    return { variant, rps: r.rps, ok: r.ok, non2xx: r.non2xx, p50: r.p50, p99: r.p99, cpuUsPerUpdate: cpu / ok, callsPerUpdate: calls / ok, billedPerUpdate: billed / ok, rssMb: rssMb(pid) };
  } finally {
    await server.stop();
    await stub.stop();
  }
}

/** Pricing's bundle as its container runs it: with its node flags (NODE_FLAGS). */
export const PRICING_ARGS = [...NODE_FLAGS.pricing, VARIANT_BUNDLE];

export const PRICING_VARIANTS = {
  packed: { label: "packed (SDK's node:http handler)", args: PRICING_ARGS, env: { SERVICE: "pricing", HANDLER: "default" }, packed: true },
  packedUndici: { label: "packed, undici handler", args: PRICING_ARGS, env: { SERVICE: "pricing", HANDLER: "undici" }, packed: true },
  unpacked: { label: "one update per message (before packing)", args: PRICING_ARGS, env: { SERVICE: "pricing", HANDLER: "default", MAX_UPDATES_PER_MESSAGE: "1" }, packed: false },
  batch: { label: "sqs-consumer handleMessageBatch", args: [join(ROOT, "bench", "variants", "sqs-consumer.ts")], env: { VARIANT: "batch" }, packed: false },
  single: { label: "sqs-consumer handleMessage", args: [join(ROOT, "bench", "variants", "sqs-consumer.ts")], env: { VARIANT: "single" }, packed: false },
} as const;
export type PricingVariant = keyof typeof PRICING_VARIANTS;

/**
 * Packed, 4,000 updates are about 17 messages and a few receives: one-off
 * costs (code compiled on the first SendMessageBatch and DeleteMessageBatch)
 * weigh on so short a run. Packed variants drain this many times more updates.
 */
export const PACKED_SCALE = 5;

export interface PricingRun { updates?: number; variant: string; updatesPerS: number; cpuUsPerUpdate: number; billedPerUpdate: number; rssMb: number; messages: number }

/** `n` inventory.updated events as message bodies: packed up to one 64 KiB billing chunk each, or one per message. */
export function updateBodies(n: number, packed: boolean, version = 1): string[] {
  const now = new Date().toISOString();
  const events = Array.from({ length: n }, (_, i) => JSON.stringify(inventoryUpdatedEvent({ sku: `ABC-${i}`, quantity: i % 40, version }, `u${version}-${i}`, "bench", now)));
  if (!packed) return events.map((e) => batchBody([e]));
  const bodies: string[] = [];
  let current: string[] = [];
  for (const e of events) {
    if (current.length && messageBytes(batchBody([...current, e]), BATCH_ATTRIBUTES) > BILLING_CHUNK_BYTES) {
      bodies.push(batchBody(current));
      current = [];
    }
    current.push(e);
  }
  if (current.length) bodies.push(batchBody(current));
  return bodies;
}

export async function pricingRound(s: Settings, variant: PricingVariant): Promise<PricingRun> {
  const stub = await startStub(s.kind, s.latencyMs);
  const v = PRICING_VARIANTS[variant];
  const consumer = startChild([...v.args], benchEnv("pricing", { endpoint: stub.url, queues: stub.queues, port: await freePort(), logLevel: "warn" }, { DLQ_URL: stub.queues.dlqUrl, ...v.env }));
  try {
    // Ready once it polls (it logs at warn only, like the library variants).
    for (let i = 0; i < 1500 && !(await stub.stats()).counts.ReceiveMessage; i++) await sleep(10);
    const n = s.updates * (v.packed ? PACKED_SCALE : 1);
    // The warm-up backlog (WARMUP_S), drained unmeasured: the same SKUs at an
    // older version, so that every measured update is newer and is priced.
    await stub.preload("inventory-update-queue", updateBodies(n, v.packed, 1), BATCH_ATTRIBUTES);
    await drained(stub, 180_000, `${variant} warm-up`);
    const bodies = updateBodies(n, v.packed, 2);
    await sleep(300);
    const pid = consumer.proc.pid!;
    const before = await stub.stats();
    const cpu0 = cpuUs(pid);
    const t0 = performance.now();
    await stub.preload("inventory-update-queue", bodies, BATCH_ATTRIBUTES);
    const stats = await drained(stub, 180_000, variant);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuUs(pid) - cpu0;
    return { variant, updates: n, updatesPerS: n / seconds, cpuUsPerUpdate: cpu / n, billedPerUpdate: (total(stats.billed) - total(before.billed)) / n, rssMb: rssMb(pid), messages: bodies.length };
  } finally {
    // Measured already: no need to wait for its long polls to answer a graceful stop.
    await consumer.stop("SIGKILL");
    await stub.stop();
  }
}

/** A cgroup v2 group limited to 0.25 CPU, or why there is none. */
export function quarterCpuGroup(): { dir?: string; reason?: string; remove(): void } {
  const root = "/sys/fs/cgroup";
  try {
    if (!readFileSync(join(root, "cgroup.controllers"), "utf8").includes("cpu")) return { reason: "cgroup v2 has no cpu controller here", remove() {} };
    const dir = join(root, `stockprice-bench-${process.pid}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "cpu.max"), "25000 100000");
    return { dir, remove: () => rmSync(dir, { recursive: false, force: true }) };
  } catch (err) {
    return { reason: `cannot create a cgroup with cpu.max (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, remove() {} };
  }
}

export const COLD_VARIANTS = {
  floor: { label: "floor: bare node:http", args: [join(ROOT, "bench", "variants", "floor.mjs")], env: {} },
  shipped: { label: "inventory as shipped", args: [SHIPPED.inventory], env: {} },
  undici: { label: "inventory with undici bundled", args: [VARIANT_BUNDLE], env: { HANDLER: "undici" } },
} as const;

export interface ColdRun { first202Ms: number; cpuMs: number; firstPublishMs: number; idleRssMb: number }

export async function coldStart(s: Settings, variant: keyof typeof COLD_VARIANTS, group?: string): Promise<ColdRun> {
  const stub = await startStub(s.kind, s.latencyMs);
  const port = await freePort();
  const v = COLD_VARIANTS[variant];
  const env = benchEnv("inventory", { endpoint: stub.url, queues: stub.queues, token: TOKEN, port, logLevel: "warn" }, v.env);
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = group
    ? startChild(["-e", `require("fs").writeFileSync(${JSON.stringify(join(group, "cgroup.procs"))}, String(process.pid)); require("child_process").spawn(process.execPath, ${JSON.stringify(v.args)}, { stdio: "inherit" }).on("exit", (c) => process.exit(c ?? 0)); process.on("SIGTERM", () => process.exit(0));`], env)
    : startChild([...v.args], env);
  try {
    let first202 = NaN;
    let cpuMs = NaN;
    for (let i = 0; i < 4000 && Number.isNaN(first202); i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/inventory`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: '{"sku":"ABC-1","quantity":1}' });
        if (res.status === 202) {
          first202 = performance.now() - t0;
          if (!group) cpuMs = cpuUs(child.proc.pid!) / 1000;
        }
      } catch {
        // not listening yet
      }
      if (Number.isNaN(first202)) await sleep(2);
    }
    const stats = await stub.stats();
    await sleep(500);
    return { first202Ms: first202, cpuMs, firstPublishMs: stats.firstSendAt ? stats.firstSendAt - spawnedAt : NaN, idleRssMb: group ? NaN : rssMb(child.proc.pid!) };
  } finally {
    await child.stop();
    await stub.stop();
  }
}
