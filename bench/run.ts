// npm run bench: the speed and the SQS bill, measured side by side on this
// machine. Every comparison runs its variants interleaved (A B C D A B C D ...)
// in fresh processes, reports medians and the per-round ratio range, and
// prints PASS/MISS against the targets. Writes bench/results/latest.{md,json,svg}.
//
//   npm run bench -- [--rounds N] [--duration S] [--messages N] [--latency-ms N] [--sqs stub|fauxqs] [--quick]

import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buildInventoryMessage } from "../src/shared/message.ts";
import { freePort } from "../scripts/stack.ts";
import { startChild, type Child } from "../test/helpers/process.ts";

const ROOT = join(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    duration: { type: "string", default: "3" },
    messages: { type: "string", default: "2000" },
    quick: { type: "boolean", default: false },
    "latency-ms": { type: "string", default: "0" },
    sqs: { type: "string", default: "stub" },
  },
});
const ROUNDS = args.quick ? 2 : Math.max(1, Number(args.rounds));
const DURATION = args.quick ? 2 : Math.max(1, Number(args.duration));
const MESSAGES = args.quick ? 500 : Math.max(100, Number(args.messages));
/** Fixed delay the stub adds to every SQS request, to mimic a network round trip. */
const LATENCY_MS = Math.max(0, Number(args["latency-ms"]));
/** stub: the counting SQS stub; fauxqs: the emulator (no request counts or stub CPU there). */
const SQS_KIND = args.sqs === "fauxqs" ? "fauxqs" : "stub";
const TOKEN = "bench-token-0123456789abcdef";
const CREDS = { AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" };
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
const started = Date.now();
const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

// ---- process measurements -------------------------------------------------

function cpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Stub { child: Child; url: string; queue: (name: string) => string; stats(): Promise<any>; preload(name: string, bodies: string[]): Promise<void>; stop(): Promise<void> }

async function startStub(): Promise<Stub> {
  if (SQS_KIND === "fauxqs") return startFauxqs();
  const child = startChild([join(ROOT, "bench", "sqs-stub.ts"), "--latency-ms", String(LATENCY_MS)], {});
  const { port } = JSON.parse(await child.waitFor(/"port"/));
  const url = `http://127.0.0.1:${port}`;
  const post = (path: string, body?: unknown) => fetch(url + path, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
  return {
    child,
    url,
    queue: (name) => `${url}/000000000000/${name}`,
    stats: () => fetch(`${url}/__stats`).then((r) => r.json()),
    preload: async (name, bodies) => void (await post("/__preload", { queue: name, bodies })),
    stop: async () => void (await child.stop()),
  };
}

/** The same interface over fauxqs: depth from GetQueueAttributes, no request counts. */
async function startFauxqs(): Promise<Stub> {
  const child = startChild([join(ROOT, "bench", "fauxqs-server.ts")], {});
  const { port } = JSON.parse(await child.waitFor(/"port"/));
  const url = `http://127.0.0.1:${port}`;
  const sqs = new SQSClient({ region: "us-east-1", endpoint: url, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  const queue = (name: string) => `${url}/000000000000/${name}`;
  return {
    child,
    url,
    queue,
    stats: async () => {
      const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue("inventory-update-queue"), AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
      const depth = { "inventory-update-queue": { visible: Number(a.Attributes?.ApproximateNumberOfMessages), inflight: Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible) } };
      return { counts: { unknown: NaN }, cpuUs: NaN, firstSendAt: 0, depth };
    },
    preload: async (name, bodies) => {
      for (let i = 0; i < bodies.length; i += 10) {
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue(name), Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }));
      }
    },
    stop: async () => {
      sqs.destroy();
      await child.stop();
    },
  };
}

function load(url: string, connections: number, seconds: number): Promise<any> {
  const child = startChild([join(ROOT, "bench", "load.ts"), url, TOKEN, String(connections), String(seconds)], {});
  return child.waitFor(/"rps"/, (seconds + 30) * 1000).then((l) => JSON.parse(l));
}

const median = (xs: number[]) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)] as const;
const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");

// ---- inventory ------------------------------------------------------------

const INVENTORY_VARIANTS = {
  shipped: { label: "inventory as shipped (batched)", args: [join(ROOT, "dist", "inventory.mjs")], env: {} },
  ceiling: { label: "same HTTP path, publishing off", args: [join(ROOT, "bench", "variants", "ceiling.ts")], env: {} },
  naive: { label: "naive: SendMessage per update", args: [join(ROOT, "bench", "variants", "naive.ts")], env: { VARIANT: "naive" } },
  fastify: { label: "Fastify + SendMessage per update", args: [join(ROOT, "bench", "variants", "naive.ts")], env: { VARIANT: "fastify" } },
} as const;
type InventoryVariant = keyof typeof INVENTORY_VARIANTS;

async function inventoryRound(variant: InventoryVariant) {
  const stub = await startStub();
  const port = await freePort();
  const v = INVENTORY_VARIANTS[variant];
  const server = startChild([...v.args], { ...CREDS, ...v.env, AWS_ENDPOINT_URL_SQS: stub.url, QUEUE_URL: stub.queue("inventory-update-queue"), AUTH_TOKENS: TOKEN, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" });
  try {
    await server.waitFor(/inventory\.(ready|listening)/, 15_000);
    await sleep(300);
    const pid = server.proc.pid!;
    const cpu0 = cpuUs(pid);
    const r = await load(`http://127.0.0.1:${port}/v1/inventory`, 64, DURATION);
    const cpu = cpuUs(pid) - cpu0;
    const stats = await stub.stats();
    const requests = Object.values(stats.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    return { variant, rps: r.rps, ok: r.ok, non2xx: r.non2xx, p50: r.p50, p99: r.p99, cpuUsPerUpdate: cpu / Math.max(1, r.ok), sqsRequestsPerUpdate: requests / Math.max(1, r.ok), rssMb: rssMb(pid) };
  } finally {
    await server.stop();
    await stub.stop();
  }
}

// ---- pricing --------------------------------------------------------------

const PRICING_VARIANTS = {
  shipped: { label: "pricing as shipped", args: [join(ROOT, "dist", "pricing.mjs")], env: {} },
  batch: { label: "sqs-consumer handleMessageBatch", args: [join(ROOT, "bench", "variants", "sqs-consumer.ts")], env: { VARIANT: "batch" } },
  single: { label: "sqs-consumer handleMessage", args: [join(ROOT, "bench", "variants", "sqs-consumer.ts")], env: { VARIANT: "single" } },
} as const;
type PricingVariant = keyof typeof PRICING_VARIANTS;

function updateBodies(n: number): string[] {
  const now = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => JSON.stringify(buildInventoryMessage({ sku: `ABC-${i}`, quantity: i % 40, version: 1 }, `u${i}`, "bench", now)));
}

async function pricingRound(variant: PricingVariant) {
  const stub = await startStub();
  await stub.preload("inventory-update-queue", updateBodies(MESSAGES));
  const v = PRICING_VARIANTS[variant];
  const port = await freePort();
  const consumer = startChild([...v.args], {
    ...CREDS,
    ...v.env,
    AWS_ENDPOINT_URL_SQS: stub.url,
    QUEUE_URL: stub.queue("inventory-update-queue"),
    PRICE_QUEUE_URL: stub.queue("price-change-queue"),
    POLICY_FILE: join(ROOT, "examples", "policy.yaml"),
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  });
  try {
    const pid = consumer.proc.pid!;
    const t0 = performance.now();
    const cpu0 = cpuUs(pid);
    const deadline = Date.now() + 120_000;
    let stats;
    for (;;) {
      stats = await stub.stats();
      const d = stats.depth["inventory-update-queue"];
      if (d && d.visible === 0 && d.inflight === 0) break;
      if (Date.now() > deadline) throw new Error(`${variant}: not drained in 120 s`);
      await sleep(10);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuUs(pid) - cpu0;
    const sqsRequests = Object.entries(stats.counts as Record<string, number>).filter(([a]) => a !== "GetQueueUrl").reduce((s, [, n]) => s + n, 0);
    return { variant, messagesPerS: MESSAGES / seconds, cpuUsPerMessage: cpu / MESSAGES, sqsRequestsPerMessage: sqsRequests / MESSAGES, rssMb: rssMb(pid), counts: stats.counts };
  } finally {
    await consumer.stop();
    await stub.stop();
  }
}

// ---- end to end, cold start ------------------------------------------------

async function endToEnd() {
  const stub = await startStub();
  const port = await freePort();
  // info: inventory logs nothing per request at info; pricing's per-decision lines are part of what it does.
  const env = { ...CREDS, AWS_ENDPOINT_URL_SQS: stub.url, QUEUE_URL: stub.queue("inventory-update-queue"), HOST: "127.0.0.1", LOG_LEVEL: "info" };
  const inventory = startChild([join(ROOT, "dist", "inventory.mjs")], { ...env, AUTH_TOKENS: TOKEN, PORT: String(port) });
  const pricing = startChild([join(ROOT, "dist", "pricing.mjs")], { ...env, PRICE_QUEUE_URL: stub.queue("price-change-queue"), POLICY_FILE: join(ROOT, "examples", "policy.yaml"), PORT: String(await freePort()) });
  try {
    await inventory.waitFor(/inventory\.ready/);
    await pricing.waitFor(/pricing\.ready/);
    const r = await load(`http://127.0.0.1:${port}/v1/inventory`, 64, DURATION);
    let stats;
    for (let i = 0; i < 1000; i++) {
      stats = await stub.stats();
      const d = stats.depth["inventory-update-queue"];
      if (d && d.visible === 0 && d.inflight === 0) break;
      await sleep(10);
    }
    const counts = stats.counts as Record<string, number>;
    const total = Object.entries(counts).filter(([a]) => a !== "GetQueueUrl").reduce((s, [, n]) => s + n, 0);
    return { accepted: r.ok, rps: r.rps, counts, requestsPerUpdate: total / Math.max(1, r.ok) };
  } finally {
    await pricing.stop();
    await inventory.stop();
    await stub.stop();
  }
}

/** A cgroup v2 group limited to 0.25 CPU, or why there is none. */
function quarterCpuGroup(): { dir?: string; reason?: string } {
  const root = "/sys/fs/cgroup";
  try {
    if (!readFileSync(join(root, "cgroup.controllers"), "utf8").includes("cpu")) return { reason: "cgroup v2 has no cpu controller here" };
    const dir = join(root, `stockprice-bench-${process.pid}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "cpu.max"), "25000 100000");
    return { dir };
  } catch (err) {
    return { reason: `cannot create a cgroup with cpu.max (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
}

async function coldStart(group?: string) {
  const stub = await startStub();
  const port = await freePort();
  const bundle = join(ROOT, "dist", "inventory.mjs");
  const env = { ...CREDS, AWS_ENDPOINT_URL_SQS: stub.url, QUEUE_URL: stub.queue("inventory-update-queue"), AUTH_TOKENS: TOKEN, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" };
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = group
    ? startChild(["-e", `require("fs").writeFileSync(${JSON.stringify(join(group, "cgroup.procs"))}, String(process.pid)); require("child_process").spawn(process.execPath, [${JSON.stringify(bundle)}], { stdio: "inherit" }).on("exit", (c) => process.exit(c ?? 0)); process.on("SIGTERM", () => process.exit(0));`], env)
    : startChild([bundle], env);
  try {
    let first202 = NaN;
    for (let i = 0; i < 4000 && Number.isNaN(first202); i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/inventory`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: '{"sku":"ABC-1","quantity":1}' });
        if (res.status === 202) first202 = performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (Number.isNaN(first202)) await sleep(2);
    }
    const stats = await stub.stats();
    await sleep(500);
    return { first202Ms: first202, firstPublishMs: stats.firstSendAt ? stats.firstSendAt - spawnedAt : NaN, idleRssMb: group ? NaN : rssMb(child.proc.pid!) };
  } finally {
    await child.stop();
    await stub.stop();
  }
}

// ---- report -----------------------------------------------------------------

function svg(bars: Array<{ label: string; value: number }>, title: string, unit: string): string {
  const w = 640, rowH = 28, left = 260, max = Math.max(...bars.map((b) => b.value).filter(Number.isFinite), 1);
  const rows = bars.map((b, i) => {
    const y = 40 + i * rowH;
    const len = Number.isFinite(b.value) ? ((w - left - 90) * b.value) / max : 0;
    return `<text x="${left - 8}" y="${y + 16}" text-anchor="end" font-size="12">${b.label}</text><rect x="${left}" y="${y + 4}" width="${len.toFixed(1)}" height="18" fill="#3b7dd8"/><text x="${left + len + 6}" y="${y + 17}" font-size="12">${fmt(b.value)} ${unit}</text>`;
  });
  return `<g><text x="10" y="24" font-size="14" font-weight="bold">${title}</text>${rows.join("")}</g>`;
}

async function main() {
  for (const f of ["inventory.mjs", "pricing.mjs"]) if (!existsSync(join(ROOT, "dist", f))) throw new Error(`dist/${f} missing: run node build.mjs`);
  log(`SQS: ${SQS_KIND}; rounds ${ROUNDS}, ${DURATION} s per load run at 64 connections, ${MESSAGES} messages per pricing run, stub latency ${LATENCY_MS} ms, CLK_TCK ${CLK_TCK}`);

  const inv: Record<InventoryVariant, any[]> = { shipped: [], ceiling: [], naive: [], fastify: [] };
  for (let r = 1; r <= ROUNDS; r++) {
    for (const v of Object.keys(INVENTORY_VARIANTS) as InventoryVariant[]) {
      const res = await inventoryRound(v);
      inv[v].push(res);
      log(`inventory round ${r}/${ROUNDS} ${v.padEnd(8)} ${fmt(res.rps)} updates/s, ${fmt(res.cpuUsPerUpdate)} us CPU/update, p50 ${res.p50} ms, p99 ${res.p99} ms, non-2xx ${res.non2xx}`);
    }
  }
  const pri: Record<PricingVariant, any[]> = { shipped: [], batch: [], single: [] };
  for (let r = 1; r <= ROUNDS; r++) {
    for (const v of Object.keys(PRICING_VARIANTS) as PricingVariant[]) {
      const res = await pricingRound(v);
      pri[v].push(res);
      log(`pricing round ${r}/${ROUNDS} ${v.padEnd(8)} ${fmt(res.messagesPerS)} msg/s, ${fmt(res.cpuUsPerMessage)} us CPU/msg, ${fmt(res.sqsRequestsPerMessage, 3)} SQS req/msg, RSS ${fmt(res.rssMb, 1)} MB`);
    }
  }
  const e2e = await endToEnd();
  log(`end to end: ${e2e.accepted} updates, ${fmt(e2e.requestsPerUpdate, 3)} SQS requests per update (${JSON.stringify(e2e.counts)})`);
  const cold = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const c = await coldStart();
    cold.push(c);
    log(`cold start round ${r}/${ROUNDS}: first 202 after ${fmt(c.first202Ms)} ms, first publish after ${fmt(c.firstPublishMs)} ms, idle RSS ${fmt(c.idleRssMb, 1)} MB`);
  }
  const group = quarterCpuGroup();
  const coldQuarter = [];
  if (group.dir) {
    for (let r = 1; r <= Math.min(3, ROUNDS); r++) {
      const c = await coldStart(group.dir);
      coldQuarter.push(c);
      log(`cold start at 0.25 vCPU round ${r}: first 202 after ${fmt(c.first202Ms)} ms`);
    }
    rmSync(group.dir, { recursive: false, force: true });
  } else {
    log(`cold start at 0.25 vCPU: not measured: ${group.reason}`);
  }
  const bundles = Object.fromEntries(["inventory", "pricing"].map((n) => [n, statSync(join(ROOT, "dist", `${n}.mjs`)).size]));

  // Medians and per-round ratios.
  const m = (rows: any[], k: string) => median(rows.map((x) => x[k]));
  const ratios = (a: any[], b: any[], k: string) => a.map((x, i) => x[k] / b[i][k]);
  const shippedVsNaive = ratios(inv.shipped, inv.naive, "rps");
  const shippedVsCeiling = ratios(inv.shipped, inv.ceiling, "rps");
  const shippedVsFastify = ratios(inv.shipped, inv.fastify, "rps");
  const bestConsumer = m(pri.batch, "cpuUsPerMessage") <= m(pri.single, "cpuUsPerMessage") ? "batch" : "single";
  const pricingCpuRatio = ratios(pri.shipped, pri[bestConsumer], "cpuUsPerMessage");
  const coldMs = median(cold.map((c) => c.first202Ms));
  const idleRss = median(cold.map((c) => c.idleRssMb));

  const targets = [
    [`inventory >= 10x the naive design's updates/s`, median(shippedVsNaive) >= 10, `${fmt(median(shippedVsNaive), 1)}x (range ${range(shippedVsNaive).map((x) => fmt(x, 1)).join("-")})`],
    [`inventory >= 0.4x the no-publish ceiling`, median(shippedVsCeiling) >= 0.4, `${fmt(median(shippedVsCeiling), 2)}x (range ${range(shippedVsCeiling).map((x) => fmt(x, 2)).join("-")})`],
    [`inventory p99 <= 25 ms at 64 connections`, m(inv.shipped, "p99") <= 25, `${fmt(m(inv.shipped, "p99"))} ms`],
    [`pricing CPU/message <= 0.6x the best sqs-consumer (${bestConsumer})`, median(pricingCpuRatio) <= 0.6, `${fmt(median(pricingCpuRatio), 2)}x (range ${range(pricingCpuRatio).map((x) => fmt(x, 2)).join("-")})`],
    [`<= 0.3 SQS requests per update end to end`, e2e.requestsPerUpdate <= 0.3, fmt(e2e.requestsPerUpdate, 3)],
    [`cold start <= 150 ms to first 202`, coldMs <= 150, `${fmt(coldMs)} ms`],
    [`idle RSS <= 64 MB`, idleRss <= 64, `${fmt(idleRss, 1)} MB`],
    [`inventory bundle <= 500 KB`, bundles.inventory <= 500_000, `${fmt(bundles.inventory / 1000)} KB`],
    [`pricing bundle <= 500 KB`, bundles.pricing <= 500_000, `${fmt(bundles.pricing / 1000)} KB`],
  ] as const;

  const md = [
    `# Benchmark results`,
    ``,
    `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${execFileSync("nproc").toString().trim()} cores, Node ${process.version}) against ${SQS_KIND === "fauxqs" ? "the fauxqs emulator (no request counts: those figures read n/a)" : `the local SQS stub (${LATENCY_MS ? `${LATENCY_MS} ms added per request` : "no added latency"})`}; ${ROUNDS} interleaved rounds, fresh processes each; medians, with the range of per-round ratios.`,
    ``,
    `## Inventory (64 connections, one update per request, ${DURATION} s per run)`,
    ``,
    `| variant | updates/s | CPU us/update | p50 ms | p99 ms | SQS requests/update | RSS MB | vs shipped |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |`,
    ...(Object.keys(INVENTORY_VARIANTS) as InventoryVariant[]).map((v) => {
      const r = ratios(inv.shipped, inv[v], "rps");
      return `| ${INVENTORY_VARIANTS[v].label} | ${fmt(m(inv[v], "rps"))} | ${fmt(m(inv[v], "cpuUsPerUpdate"))} | ${fmt(m(inv[v], "p50"))} | ${fmt(m(inv[v], "p99"))} | ${fmt(m(inv[v], "sqsRequestsPerUpdate"), 3)} | ${fmt(m(inv[v], "rssMb"), 1)} | ${v === "shipped" ? "-" : `${fmt(median(r), 2)}x (${range(r).map((x) => fmt(x, 2)).join("-")})`} |`;
    }),
    ``,
    `## Pricing (${MESSAGES} messages preloaded, until all are deleted)`,
    ``,
    `| variant | messages/s | CPU us/message | SQS requests/message | RSS MB | CPU vs shipped |`,
    `| --- | ---: | ---: | ---: | ---: | --- |`,
    ...(Object.keys(PRICING_VARIANTS) as PricingVariant[]).map((v) => {
      const r = ratios(pri[v], pri.shipped, "cpuUsPerMessage");
      return `| ${PRICING_VARIANTS[v].label} | ${fmt(m(pri[v], "messagesPerS"))} | ${fmt(m(pri[v], "cpuUsPerMessage"))} | ${fmt(m(pri[v], "sqsRequestsPerMessage"), 3)} | ${fmt(m(pri[v], "rssMb"), 1)} | ${v === "shipped" ? "-" : `${fmt(median(r), 2)}x (${range(r).map((x) => fmt(x, 2)).join("-")})`} |`;
    }),
    ``,
    `## End to end, cold start, size`,
    ``,
    `| what | figure |`,
    `| --- | ---: |`,
    `| SQS requests per update, inventory + pricing at load (${e2e.accepted} updates) | ${fmt(e2e.requestsPerUpdate, 3)} |`,
    `| spawn to first 202 (median) | ${fmt(coldMs)} ms |`,
    `| spawn to first published message (median) | ${fmt(median(cold.map((c) => c.firstPublishMs)))} ms |`,
    `| spawn to first 202 at 0.25 vCPU | ${coldQuarter.length ? `${fmt(median(coldQuarter.map((c) => c.first202Ms)))} ms` : `not measured: ${group.reason}`} |`,
    `| idle RSS (inventory) | ${fmt(idleRss, 1)} MB |`,
    `| RSS after load (inventory, median) | ${fmt(m(inv.shipped, "rssMb"), 1)} MB |`,
    `| bundle sizes | inventory ${fmt(bundles.inventory / 1024, 1)} KiB, pricing ${fmt(bundles.pricing / 1024, 1)} KiB |`,
    ``,
    `## Targets`,
    ``,
    `| target | result | measured |`,
    `| --- | --- | --- |`,
    ...targets.map(([t, ok, f]) => `| ${t} | ${ok ? "PASS" : "MISS"} | ${f} |`),
    ``,
  ].join("\n");

  const chart = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" font-family="sans-serif">${svg(
    (Object.keys(INVENTORY_VARIANTS) as InventoryVariant[]).map((v) => ({ label: INVENTORY_VARIANTS[v].label, value: m(inv[v], "rps") })),
    "Inventory: accepted updates/s (median)",
    "/s",
  )}<g transform="translate(0,190)">${svg(
    (Object.keys(PRICING_VARIANTS) as PricingVariant[]).map((v) => ({ label: PRICING_VARIANTS[v].label, value: m(pri[v], "cpuUsPerMessage") })),
    "Pricing: CPU microseconds per message (median, lower is better)",
    "us",
  )}</g></svg>\n`;

  const out = join(ROOT, "bench", "results");
  mkdirSync(out, { recursive: true });
  const base = SQS_KIND === "fauxqs" ? "fauxqs" : "latest";
  writeFileSync(join(out, `${base}.md`), md);
  writeFileSync(join(out, `${base}.svg`), chart);
  writeFileSync(join(out, `${base}.json`), JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, durationS: DURATION, messages: MESSAGES, inventory: inv, pricing: pri, endToEnd: e2e, coldStart: cold, coldStartQuarterCpu: coldQuarter, quarterCpu: group.reason ?? "measured", bundles, targets }, null, 2));
  process.stdout.write("\n" + md + "\n");
  log(`done; wrote bench/results/${base}.md, ${base}.svg, ${base}.json`);
}

await main();
