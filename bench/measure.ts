// Measurement plumbing for the bench: process CPU and memory from /proc, the
// SQS under test (the counting stub or fauxqs, the local stack's emulator
// process), the load generator, and the statistics (median, per-round range)
// every figure is reported with. The services' environment comes from
// serviceEnv (scripts/lib/stack.ts) with the Deployments' runtime settings (benchEnv), pointed at the stub's queues.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetQueueAttributesCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { QUEUE_NAMES } from "../src/shared/names.ts";
import { emulatorClient, type QueueSetup } from "../scripts/emulator.ts";
import { startChild, type Child } from "../scripts/lib/process.ts";
import { ROOT, serviceEnv, startEmulatorProcess } from "../scripts/lib/stack.ts";
import { HEAP_NODE_OPTIONS, MALLOC_TUNABLES } from "../src/shared/config/shared-vars.ts";

export { ROOT };

/**
 * A service's environment for the bench, with the heap caps and the glibc
 * tunable both Deployments set (NODE_OPTIONS, GLIBC_TUNABLES): measured as it
 * runs in the cluster. Left to its defaults, V8 grows the young generation
 * under this load, and its scavenges of 15-23 ms set the p99.
 */
export function benchEnv(...[service, o, extra]: Parameters<typeof serviceEnv>): Record<string, string> {
  return serviceEnv(service, o, { NODE_OPTIONS: HEAP_NODE_OPTIONS, GLIBC_TUNABLES: MALLOC_TUNABLES, ...extra });
}
export const TOKEN = "bench-token-0123456789abcdef";
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** CPU microseconds (user + system) of a process, or of one of its threads. */
export function cpuUs(pid: number, tid?: string): number {
  const stat = readFileSync(tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
}

export interface StubStats {
  counts: Record<string, number>;
  billed: Record<string, number>;
  /** Messages handed out by receives and receives that handed out none (the stub only). */
  receives?: { messages: number; empty: number };
  cpuUs: number;
  firstSendAt: number;
  depth: Record<string, { visible: number; inflight: number }>;
}

export interface Stub {
  child: Child;
  url: string;
  queue: (name: string) => string;
  /** The project's three queues on this SQS, for serviceEnv. */
  queues: QueueSetup;
  stats(): Promise<StubStats>;
  preload(name: string, bodies: string[], attributes?: Record<string, { DataType: string; StringValue: string }>): Promise<void>;
  stop(): Promise<void>;
}

/** Sum of a per-action table, GetQueueUrl (a start-up call) left out. */
export const total = (t: Record<string, number> | undefined) => Object.entries(t ?? {}).filter(([a]) => a !== "GetQueueUrl").reduce((s, [, n]) => s + n, 0);

export async function startStub(kind: "stub" | "fauxqs", latencyMs: number): Promise<Stub> {
  if (kind === "fauxqs") return startFauxqs();
  const child = startChild([join(ROOT, "bench", "sqs-server.ts"), "--latency-ms", String(latencyMs)], {});
  const { port } = JSON.parse(await child.waitFor(/"port"/));
  const url = `http://127.0.0.1:${port}`;
  const queue = (name: string) => `${url}/000000000000/${name}`;
  const post = (path: string, body?: unknown) => fetch(url + path, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
  return {
    child,
    url,
    queue,
    queues: { inventoryUrl: queue(QUEUE_NAMES.inventory), dlqUrl: queue(QUEUE_NAMES.inventoryDlq), priceUrl: queue(QUEUE_NAMES.price) },
    stats: () => fetch(`${url}/__stats`).then((r) => r.json() as Promise<StubStats>),
    preload: async (name, bodies, attributes) => void (await post("/__preload", { queue: name, bodies, attributes })),
    stop: async () => void (await child.stop()),
  };
}

/** The same interface over fauxqs: depth from GetQueueAttributes, no request counts. */
async function startFauxqs(): Promise<Stub> {
  const { child, endpoint: url, queues } = await startEmulatorProcess();
  const sqs = emulatorClient(url);
  const queue = (name: string) => `${url}/000000000000/${name}`;
  return {
    child,
    url,
    queue,
    queues,
    stats: async () => {
      const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue("inventory-update-queue"), AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
      const depth = { "inventory-update-queue": { visible: Number(a.Attributes?.ApproximateNumberOfMessages), inflight: Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible) } };
      return { counts: { unknown: NaN }, billed: { unknown: NaN }, cpuUs: NaN, firstSendAt: 0, depth };
    },
    preload: async (name, bodies, attributes) => {
      for (let i = 0; i < bodies.length; i += 10) {
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue(name), Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b, MessageAttributes: attributes })) }));
      }
    },
    stop: async () => {
      sqs.destroy();
      await child.stop();
    },
  };
}

export interface LoadResult { ok: number; non2xx: number; rps: number; p50: number; p99: number }

export function load(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const child = startChild([join(ROOT, "bench", "load.ts"), url, TOKEN, String(connections), String(seconds)], {});
  return child.waitFor(/"rps"/, (seconds + 30) * 1000).then((l) => JSON.parse(l));
}

/** Polls the stub until the inventory queue is empty, or throws after `timeoutMs`. */
export async function drained(stub: Stub, timeoutMs: number, label: string): Promise<StubStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await stub.stats();
    const d = stats.depth["inventory-update-queue"];
    if (d && d.visible === 0 && d.inflight === 0) return stats;
    if (Date.now() > deadline) throw new Error(`${label}: not drained in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)] as const;
export const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");
/** "median (min-max)" of per-round values. */
export const spread = (xs: number[], d = 2) => `${fmt(median(xs), d)} (${range(xs).map((x) => fmt(x, d)).join("-")})`;
