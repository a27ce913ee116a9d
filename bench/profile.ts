// Where inventory's CPU goes per update: runs src/inventory.ts (the shipped
// service, unbundled so frames keep their file names) under `node --cpu-prof`
// at the bench load (64 connections, one update per request, the local SQS
// stub), then attributes every sample to one bucket and prints a Markdown
// table of microseconds per accepted update.
//
//   node bench/profile.ts [--duration S] [--runs N] [--keep DIR] [--top N] [--entry FILE ...]
//   (several --entry: their runs interleave, one table each; e.g. an older src/inventory.ts from git archive)
//
// A sample goes to the innermost frame on its stack that names a bucket (a
// project file, the SDK, a node:http side), so the SDK's own use of node:http
// counts as the SDK call and node's parsing of an incoming request as HTTP.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { freePort, startChild } from "../scripts/lib/process.ts";
import { benchEnv, cpuUs, load, ROOT, startStub, TOKEN } from "./measure.ts";
import { WARMUP_S } from "./rounds.ts";

interface Frame { functionName: string; url: string; lineNumber: number }
interface Node { id: number; callFrame: Frame; children?: number[] }
export interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/**
 * CPU of the process's other threads: V8's workers (parallel scavenges,
 * concurrent marking) and libuv's pool. --cpu-prof samples the main thread
 * only, so this is read from /proc per thread and reported on its own line.
 */
export const WORKER_BUCKET = "GC and other work on worker threads (V8's helpers)";

export const BUCKETS = ["HTTP parsing and answer (node:http)", "auth", "JSON parse", "validation", "event building (ids, time, stringify)", "packing and publisher", "SDK call (SendMessageBatch)", "metrics", "logging", "handler and server glue", "GC", "other (native, timers, unattributed)", WORKER_BUCKET] as const;
export type Bucket = (typeof BUCKETS)[number];

/** CPU microseconds of the main thread (tid = pid) and of every other thread, from /proc/<pid>/task. */
export function threadCpuUs(pid: number): { main: number; workers: number } {
  let main = 0;
  let workers = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const us = cpuUs(pid, tid);
    if (Number(tid) === pid) main += us;
    else workers += us;
  }
  return { main, workers };
}

/** The bucket a frame names, or undefined when the frame says nothing on its own. */
function bucketOf(f: Frame): Bucket | undefined {
  const u = f.url;
  const fn = f.functionName;
  if (fn === "(garbage collector)") return "GC";
  if (/node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws\/)/.test(u) || u.includes("node:_http_client") || u.includes("node:_http_agent")) return "SDK call (SendMessageBatch)";
  if (u.endsWith("src/inventory/auth.ts")) return "auth";
  if (/src\/shared\/(update|legacy-message|rfc3339|validation)\.ts$/.test(u) || (u.endsWith("src/inventory/app.ts") && fn === "parseUpdates")) return "validation";
  if (u.endsWith("src/shared/events.ts") || fn === "randomUUID" || fn === "toISOString") return "event building (ids, time, stringify)";
  if (u.endsWith("src/shared/packer.ts") || u.endsWith("src/shared/publisher.ts") || u.endsWith("src/shared/limits.ts")) return "packing and publisher";
  if (u.endsWith("src/shared/metrics.ts") || u.endsWith("src/inventory/metrics.ts")) return "metrics";
  if (u.endsWith("src/shared/log.ts")) return "logging";
  if (fn === "parse" && u === "") return "JSON parse";
  if (u.endsWith("src/inventory/app.ts") || u.endsWith("src/shared/http.ts")) return "handler and server glue";
  if (u === "node:_http_server") return "HTTP parsing and answer (node:http)";
  return undefined;
}

/** node:http code both sides use: a sample under it is the SDK's when an SDK frame is further up, else the server's. */
const SHARED_HTTP = /^node:(_http_common|_http_outgoing|_http_incoming)$/;

/** Frames of node's plumbing (net, streams, events, timers): they go with whatever called them. */
const PLUMBING = /^node:(net|stream|internal\/streams|events|internal\/(timers|process|async_hooks|stream_base_commons|net))/;

export function attribute(p: Profile): { byBucket: Map<Bucket, number>; busyUs: number; idleUs: number; top: Array<[string, number]> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, Bucket>();
  const resolve = (id: number): Bucket => {
    const hit = memo.get(id);
    if (hit) return hit;
    let b: Bucket | undefined;
    let sawSocket = false;
    let sawHttp = false;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (SHARED_HTTP.test(f.url)) sawHttp = true;
      else if (PLUMBING.test(f.url)) sawSocket = true;
      const here = bucketOf(f);
      // Below node:http's shared code (outgoing messages, parsers), only the SDK claims a sample: the rest is the server's HTTP.
      if (here && (!sawHttp || here === "SDK call (SendMessageBatch)")) {
        b = here;
        break;
      }
    }
    // Socket reads and writes with no owner on the stack: the server's side of a connection.
    const out = b ?? (sawHttp || sawSocket ? "HTTP parsing and answer (node:http)" : "other (native, timers, unattributed)");
    memo.set(id, out);
    return out;
  };
  const byBucket = new Map<Bucket, number>(BUCKETS.filter((b) => b !== WORKER_BUCKET).map((b) => [b, 0]));
  const self = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i + 1] ?? 0;
    const f = byId.get(id)!.callFrame;
    if (f.functionName === "(idle)") return void (idleUs += dt);
    busyUs += dt;
    const b = resolve(id);
    byBucket.set(b, byBucket.get(b)! + dt);
    const key = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(node_modules|src)\//, "$1/")}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]);
  return { byBucket, busyUs, idleUs, top };
}

export interface ProfileRun { updates: number; cpuUs: number; rps: number; p99: number; byBucket: Record<string, number>; busyUs: number; top: Array<[string, number]> }

/** One profiled load run of the shipped inventory; figures per accepted update. */
export async function profileInventory(durationS: number, env: Record<string, string> = {}, keep?: string, entry = join(ROOT, "src", "inventory.ts")): Promise<ProfileRun> {
  const dir = keep ?? mkdtempSync(join(tmpdir(), "inventory-prof-"));
  const stub = await startStub("stub", 0);
  const port = await freePort();
  const server = startChild(["--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-interval", "200", entry], benchEnv("inventory", { endpoint: stub.url, queues: stub.queues, token: TOKEN, port }, env));
  try {
    await server.waitFor(/inventory\.ready/, 15_000);
    // Past the JIT's warm-up, as the bench measures (WARMUP_S).
    await load(`http://127.0.0.1:${port}/v1/inventory`, 64, Math.min(WARMUP_S, durationS));
    await sleep(300);
    const cpu0 = threadCpuUs(server.pid);
    const r = await load(`http://127.0.0.1:${port}/v1/inventory`, 64, durationS);
    const cpu1 = threadCpuUs(server.pid);
    const main = cpu1.main - cpu0.main;
    const workers = cpu1.workers - cpu0.workers;
    const cpu = main + workers;
    await server.stop("SIGTERM", 15_000);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
    const a = attribute(JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile);
    // The profile spans start-up and shutdown too, and samples the main thread
    // only: scale its split to the main thread's CPU during the load; the
    // other threads' CPU is a line of its own.
    const scale = main / Math.max(1, a.busyUs) / Math.max(1, r.ok);
    const byBucket: Record<string, number> = Object.fromEntries([...a.byBucket].map(([b, us]) => [b, us * scale]));
    byBucket[WORKER_BUCKET] = workers / Math.max(1, r.ok);
    return { updates: r.ok, cpuUs: cpu / Math.max(1, r.ok), rps: r.rps, p99: r.p99, byBucket, busyUs: a.busyUs, top: a.top.slice(0, 25).map(([k, us]) => [k, us * scale]) };
  } finally {
    await server.stop();
    await stub.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

export function profileTable(runs: ProfileRun[]): string {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const rows = BUCKETS.map((b) => {
    const xs = runs.map((r) => r.byBucket[b]);
    return `| ${b} | ${med(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)} |`;
  });
  const cpu = runs.map((r) => r.cpuUs);
  return [`| where | us per update (median) | range |`, `| --- | ---: | ---: |`, ...rows, `| **total (process CPU during the load)** | **${med(cpu).toFixed(1)}** | ${Math.min(...cpu).toFixed(1)}-${Math.max(...cpu).toFixed(1)} |`].join("\n");
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { duration: { type: "string", default: "5" }, runs: { type: "string", default: "1" }, keep: { type: "string" }, top: { type: "string", default: "20" }, entry: { type: "string", multiple: true } } });
  const entries = values.entry?.length ? values.entry : [join(ROOT, "src", "inventory.ts")];
  const runs = entries.map(() => [] as ProfileRun[]);
  for (let i = 0; i < Math.max(1, Number(values.runs)); i++) {
    for (const [e, entry] of entries.entries()) {
      const r = await profileInventory(Number(values.duration), {}, values.keep, entry);
      runs[e].push(r);
      process.stdout.write(`run ${i + 1} ${entry}: ${r.updates} updates, ${r.rps.toFixed(0)}/s, ${r.cpuUs.toFixed(1)} us CPU/update, p99 ${r.p99} ms\n`);
    }
  }
  for (const [e, entry] of entries.entries()) {
    process.stdout.write(`\n${entry}\n\n${profileTable(runs[e])}\n\nHeaviest functions (self time, us per update, last run):\n`);
    for (const [k, us] of runs[e].at(-1)!.top.slice(0, Number(values.top))) process.stdout.write(`  ${us.toFixed(2).padStart(7)}  ${k}\n`);
  }
}
