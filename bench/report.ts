// The bench's results as Markdown: tables per comparison, the undici and MD5
// decisions, the targets (PASS/MISS), the cost per million updates and the
// scale table. Every figure the README shows comes from this file's output.

import { fmt, median, spread } from "./measure.ts";
import { CURVE_HEADER, curveRows, recommend, type CurveKey, type EndToEndRun } from "./curve.ts";
import { profileTable, type ProfileRun } from "./profile.ts";
import { NODE_FLAGS } from "../src/shared/config/shared-vars.ts";
import { WARMUP_S } from "./rounds.ts";
import { COLD_VARIANTS, INVENTORY_VARIANTS, PACKED_SCALE, PRICING_VARIANTS, type ColdRun, type InventoryRun, type InventoryVariant, type PricingRun, type PricingVariant } from "./rounds.ts";

export interface Results {
  date: string;
  machine: string;
  sqs: string;
  rounds: number;
  durationS: number;
  updates: number;
  inventory: Record<InventoryVariant, InventoryRun[]>;
  pricing: Record<PricingVariant, PricingRun[]>;
  endToEnd: EndToEndRun[];
  /** End to end per BATCH_LINGER_MS (and pricing pollers): the cost-latency curve. */
  curve?: Partial<Record<CurveKey, EndToEndRun[]>>;
  /** One CPU profile of the shipped inventory at the bench load. */
  profile?: ProfileRun;
  cold: Record<keyof typeof COLD_VARIANTS, ColdRun[]>;
  coldQuarter: ColdRun[];
  quarterReason?: string;
  bundles: { inventory: number; pricing: number; undiciBytes: number };
  /** 1-minute load average at the start and the end of the run (the machine is shared). */
  loadAverage?: [number, number];
}

/** SQS standard queue: USD per million requests (first 100 billion a month), and the pod the manifests request. */
export const PRICE_PER_MILLION = 0.4;
const POD_VCPU = 0.25;
const HPA_UTILIZATION = 0.7;
const MONTH_S = 30 * 24 * 3600;
/** undici is bundled only if it cuts CPU per update by this much with packing on. */
export const UNDICI_MIN_CUT = 0.15;
export const COLD_TARGET_MS = 150;
/** The floor targets: inventory's CPU per update and updates/s, and its cold start, against a bare node:http server. */
export const FLOOR_CPU_MAX = 3;
export const FLOOR_RPS_MIN = 0.5;
export const FLOOR_COLD_MAX = 1.5;

const col = <T>(rows: T[], k: keyof T) => rows.map((r) => r[k] as unknown as number);
const m = <T>(rows: T[], k: keyof T) => median(col(rows, k));
const ratios = <T>(a: T[], b: T[], k: keyof T) => a.map((x, i) => (x[k] as unknown as number) / (b[i][k] as unknown as number));

export interface Target { name: string; pass: boolean; measured: string; note?: string }

/** Per-round ratios of a figure of inventory's shipped (packed) variant to the floor's in the same round. */
export const toFloor = (r: Results, k: keyof InventoryRun, v: InventoryVariant = "packed") => (r.inventory.floor?.length ? ratios(r.inventory[v], r.inventory.floor, k) : []);

/**
 * Whether the CPU target is held by the guarantee (202 only once SQS stored
 * the update): the same HTTP path with publishing answered in-process is
 * measured in the same rounds; if it is within the target, what is over is
 * the SendMessageBatch each 202 waits for.
 */
function cpuLine(r: Results): string {
  const off = toFloor(r, "cpuUsPerUpdate", "ceiling");
  const publishing = m(r.inventory.packed, "cpuUsPerUpdate") - m(r.inventory.ceiling, "cpuUsPerUpdate");
  const sdk = r.profile ? `; the profile puts ${fmt(r.profile.byBucket["SDK call (SendMessageBatch)"], 1)} of ${fmt(r.profile.cpuUs, 1)} us/update in the SDK call` : "";
  const held = off.length > 0 && median(off) <= FLOOR_CPU_MAX;
  return `${held ? "held by the guarantee" : "NOT held by a guarantee"}: with publishing answered in-process the same path is ${spread(off)}x the floor; the SendMessageBatch each 202 waits for adds ${fmt(publishing, 1)} us/update (packed minus publishing off, floor ${fmt(m(r.inventory.floor ?? [], "cpuUsPerUpdate"), 1)} us)${sdk}`;
}

/** The updates/s that 64 connections, each waiting for its 202, allow at the measured p50. */
const waitBound = (r: Results) => (64 * 1000) / m(r.inventory.packed, "p50");

/** Why updates/s stops short: each of the 64 connections waits for its update's SQS call before it sends the next. */
function waitLine(r: Results, than: number, label: string, target: number): string {
  const bound = waitBound(r);
  const held = bound / than < target;
  const needMs = (64 * 1000) / (target * than);
  return `${held ? "held by the guarantee" : "NOT held by a guarantee"}: each connection waits for its 202, which waits for the SQS call (BATCH_LINGER_MS 5 included): 64 connections / p50 ${fmt(m(r.inventory.packed, "p50"))} ms allow at most ${fmt(bound)} updates/s, ${fmt(bound / than, 2)}x ${label} ${fmt(than)}; ${target}x would need a p50 of ${fmt(needMs, 1)} ms`;
}

export function targets(r: Results): Target[] {
  const cpuVsFloor = toFloor(r, "cpuUsPerUpdate");
  const rpsVsFloor = toFloor(r, "rps");
  const vsNaive = ratios(r.inventory.packed, r.inventory.naive, "rps");
  const pricingCpu = ratios(r.pricing.packed, r.pricing.batch, "cpuUsPerUpdate");
  const e2e = r.endToEnd.map((x) => x.billedPerUpdate);
  const coldVsFloor = r.cold.floor?.length ? ratios(r.cold.shipped, r.cold.floor, "first202Ms") : [];
  const p99 = col(r.inventory.packed, "p99");
  const cpuPass = median(cpuVsFloor) <= FLOOR_CPU_MAX;
  const rpsPass = median(rpsVsFloor) >= FLOOR_RPS_MIN;
  const coldPass = median(coldVsFloor) <= FLOOR_COLD_MAX;
  return [
    { name: `inventory CPU per update <= ${FLOOR_CPU_MAX}x the bare node:http floor (packed, publishing to the stub)`, pass: cpuPass, measured: `${spread(cpuVsFloor)}x`, note: cpuPass ? undefined : cpuLine(r) },
    { name: `inventory updates/s >= ${FLOOR_RPS_MIN}x the floor`, pass: rpsPass, measured: `${spread(rpsVsFloor)}x`, note: rpsPass ? undefined : waitLine(r, m(r.inventory.floor ?? [], "rps"), "the floor's", FLOOR_RPS_MIN) },
    { name: "inventory >= 8x the naive design (updates/s)", pass: median(vsNaive) >= 8, measured: `${spread(vsNaive, 1)}x`, note: median(vsNaive) >= 8 ? undefined : waitLine(r, m(r.inventory.naive, "rps"), "the naive design's", 8) },
    { name: "inventory p99 <= 25 ms at 64 connections", pass: median(p99) <= 25, measured: `${spread(p99, 0)} ms` },
    { name: `time to the first 202 <= ${FLOOR_COLD_MAX}x the floor's spawn to first answer`, pass: coldPass, measured: `${spread(coldVsFloor)}x (${fmt(m(r.cold.shipped, "first202Ms"))} vs ${fmt(m(r.cold.floor ?? [], "first202Ms"))} ms)`, note: coldPass ? undefined : `${m(r.cold.shipped, "firstPublishMs") / m(r.cold.floor ?? [], "first202Ms") > FLOOR_COLD_MAX ? "held by the guarantee" : "NOT held by a guarantee"}: the first SendMessageBatch reached SQS ${fmt(m(r.cold.shipped, "firstPublishMs"))} ms after the spawn (${fmt(m(r.cold.shipped, "cpuMs"))} ms CPU against the floor's ${fmt(m(r.cold.floor ?? [], "cpuMs"))}): the SDK is loaded and has stored the update before the first 202` },
    { name: "pricing CPU per update <= 0.05x sqs-consumer's batch mode", pass: median(pricingCpu) <= 0.05, measured: `${spread(pricingCpu, 3)}x`, note: median(pricingCpu) <= 0.05 ? undefined : "NOT held by a guarantee: where its CPU goes is in docs/performance.md (emitting the decisions is over half of it)" },
    { name: "end to end <= 0.02 billed SQS requests per update (BATCH_LINGER_MS 5)", pass: median(e2e) <= 0.02, measured: spread(e2e, 4), note: median(e2e) <= 0.02 ? undefined : `held by the guarantee: a message holds at most one update per waiting connection (measured ${fmt(median(r.endToEnd.map((x) => x.updatesPerMessage ?? NaN)), 1)}): its send, receive and delete are at least 3/64 = 0.047 per update at 64 connections` },
  ];
}

/** Whether undici pays, per service, with packing on: CPU per update cut and cold start. */
export function undiciVerdict(r: Results) {
  const inv = ratios(r.inventory.packedUndici, r.inventory.packed, "cpuUsPerUpdate");
  const pri = ratios(r.pricing.packedUndici, r.pricing.packed, "cpuUsPerUpdate");
  const cold = median(col(r.cold.undici, "first202Ms"));
  const cuts = { inventory: 1 - median(inv), pricing: 1 - median(pri) };
  const pays = cuts.inventory >= UNDICI_MIN_CUT && cuts.pricing >= UNDICI_MIN_CUT && cold <= COLD_TARGET_MS;
  return { inv, pri, cold, cuts, pays };
}

function scaleRows(r: Results): string[] {
  const e2e = median(r.endToEnd.map((x) => x.billedPerUpdate));
  const naiveBilled = m(r.inventory.naive, "billedPerUpdate") + m(r.pricing.single, "billedPerUpdate");
  const pods = (rate: number, us: number) => Math.max(1, Math.ceil((rate * us) / 1e6 / (POD_VCPU * HPA_UTILIZATION)));
  const bill = (rate: number, perUpdate: number) => (rate * perUpdate * MONTH_S * PRICE_PER_MILLION) / 1e6;
  return [1_000, 10_000, 100_000].map((rate) => {
    const ours = `${pods(rate, m(r.inventory.packed, "cpuUsPerUpdate"))} + ${pods(rate, m(r.pricing.packed, "cpuUsPerUpdate"))}`;
    const naive = `${pods(rate, m(r.inventory.naive, "cpuUsPerUpdate"))} + ${pods(rate, m(r.pricing.single, "cpuUsPerUpdate"))}`;
    return `| ${fmt(rate)} | ${ours} | USD ${fmt(bill(rate, e2e))} | ${naive} | USD ${fmt(bill(rate, naiveBilled))} |`;
  });
}

function curveSection(r: Results): string[] {
  if (!r.curve) return [];
  const rec = recommend(r.curve);
  return [
    `## Cost and latency against BATCH_LINGER_MS (end to end, 64 connections, ${Math.max(...Object.values(r.curve).map((x) => x?.length ?? 0))} run(s) each)`,
    ``,
    ...CURVE_HEADER,
    ...curveRows(r.curve),
    ``,
    `![cost and latency against BATCH_LINGER_MS](latest-curve.svg)`,
    ``,
    `Billed requests per update end to end (the bars) and the 202's p50/p99 (the lines). Recommended from this run's medians: BATCH_LINGER_MS=${rec.cost ?? "n/a"} for cost (the shortest linger within 5 % of the lowest bill), BATCH_LINGER_MS=${rec.latency ?? "n/a"} for latency (the lowest p50). "messages per receive" is pricing's receive side: ReceiveMessage calls are billed per call, so more messages per receive is fewer requests per update.`,
    ``,
  ];
}

function profileSection(r: Results): string[] {
  if (!r.profile) return [];
  return [
    `## Where inventory's CPU goes (node --cpu-prof, shipped code, ${fmt(r.profile.updates)} updates at 64 connections)`,
    ``,
    profileTable([r.profile]),
    ``,
    `Each sample counts for the innermost frame on its stack that names a bucket (bench/profile.ts); the split is scaled to the process CPU measured during the load.`,
    ``,
  ];
}

export function markdown(r: Results): string {
  const inv = r.inventory;
  const pri = r.pricing;
  const t = targets(r);
  const u = undiciVerdict(r);
  const md5 = ratios(inv.packedNoMd5, inv.packed, "cpuUsPerUpdate");
  const e2e = median(r.endToEnd.map((x) => x.billedPerUpdate));
  const naiveBilled = m(inv.naive, "billedPerUpdate") + m(pri.single, "billedPerUpdate");
  const invRows = (Object.keys(INVENTORY_VARIANTS) as InventoryVariant[]).filter((v) => inv[v]).map((v) => {
    const cpu = v === "floor" ? "1" : spread(toFloor(r, "cpuUsPerUpdate", v));
    const rps = v === "floor" ? "1" : spread(toFloor(r, "rps", v));
    return `| ${INVENTORY_VARIANTS[v].label} | ${fmt(m(inv[v], "rps"))} | ${fmt(m(inv[v], "cpuUsPerUpdate"), 1)} | ${fmt(m(inv[v], "p50"))} | ${fmt(m(inv[v], "p99"))} | ${fmt(m(inv[v], "callsPerUpdate"), 4)} | ${fmt(m(inv[v], "billedPerUpdate"), 4)} | ${fmt(m(inv[v], "rssMb"), 1)} | ${cpu}x | ${rps}x |`;
  });
  const priRows = (Object.keys(PRICING_VARIANTS) as PricingVariant[]).map((v) => {
    const rel = ratios(pri[v], pri.packed, "cpuUsPerUpdate");
    return `| ${PRICING_VARIANTS[v].label} | ${fmt(m(pri[v], "messages"))} | ${fmt(m(pri[v], "updatesPerS"))} | ${fmt(m(pri[v], "cpuUsPerUpdate"), 1)} | ${fmt(m(pri[v], "billedPerUpdate"), 4)} | ${fmt(m(pri[v], "rssMb"), 1)} | ${v === "packed" ? "-" : `${spread(rel)}x`} |`;
  });
  const coldRows = (Object.keys(COLD_VARIANTS) as Array<keyof typeof COLD_VARIANTS>).map((v) => {
    const c = r.cold[v];
    return `| ${COLD_VARIANTS[v].label} | ${spread(col(c, "first202Ms"), 0)} | ${spread(col(c, "cpuMs"), 0)} | ${fmt(m(c, "cpuMs") / POD_VCPU)} ms (estimate) | ${fmt(m(c, "firstPublishMs"))} | ${fmt(m(c, "idleRssMb"), 1)} |`;
  });
  const byAction = (k: string) => median(r.endToEnd.map((x) => (x.billed[k] ?? 0) / Math.max(1, x.accepted)));
  const actions = [...new Set(r.endToEnd.flatMap((x) => Object.keys(x.billed)))].filter((a) => a !== "GetQueueUrl").sort();
  const perMillion = (perUpdate: number) => `${fmt(perUpdate, 4)} M, USD ${fmt(perUpdate * PRICE_PER_MILLION, 4)}`;
  return [
    `# Benchmark results`,
    ``,
    `Measured ${r.date} on ${r.machine} against ${r.sqs}; ${r.rounds} interleaved rounds, fresh processes each, every one with the Deployments' NODE_OPTIONS and GLIBC_TUNABLES (and pricing with its node flags, ${NODE_FLAGS.pricing.join(" ")}) and measured past a warm-up (${WARMUP_S} s of load, or one drained backlog, unmeasured: the JIT's one-off work; start-up has its own section); ${r.loadAverage ? `load average ${r.loadAverage.map((x) => fmt(x, 1)).join(" at the start, ")} at the end` : "load average not recorded"}. Figures are medians; "a (b-c)" is the median and the range of the per-round values or ratios. Billed requests count as SQS bills them: every 64 KiB of a call's message payload is one request (empty receives count 1).`,
    ``,
    `## Inventory (64 connections, one update per request, ${r.durationS} s per run)`,
    ``,
    `| variant | updates/s | CPU us/update | p50 ms | p99 ms | SQS calls/update | billed requests/update | RSS MB | CPU/update vs floor | updates/s vs floor |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |`,
    ...invRows,
    ``,
    `Ratios to the floor are per round (each variant against the floor measured in the same round). The gap between "same HTTP path, publishing off" and the floor is the handler's own cost; the gap from there to "packed" is publishing.`,
    ``,
    `## Pricing (${fmt(r.updates)} updates preloaded once the service is ready, ${fmt(r.updates * PACKED_SCALE)} for the packed variants, whose 4,000 would be a few receives; until every message is deleted)`,
    ``,
    `| variant | messages | updates/s | CPU us/update | billed requests/update | RSS MB | CPU vs packed |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | --- |`,
    ...priRows,
    ``,
    `## End to end (inventory as shipped and pricing through the bench entry with the SDK's handler, 64 connections, ${r.endToEnd.length} run(s))`,
    ``,
    `| what | per update |`,
    `| --- | ---: |`,
    `| billed SQS requests, all | ${spread(r.endToEnd.map((x) => x.billedPerUpdate), 4)} |`,
    ...actions.map((a) => `| ${a} | ${fmt(byAction(a), 4)} |`),
    `| updates accepted per run | ${fmt(median(r.endToEnd.map((x) => x.accepted)))} |`,
    ``,
    ...curveSection(r),
    ...profileSection(r),
    `## Cold start (spawn to the first 202)`,
    ``,
    `| variant | wall ms | CPU ms | smallest Fargate pod (0.25 vCPU) | first publish ms | idle RSS MB |`,
    `| --- | ---: | ---: | ---: | ---: | ---: |`,
    ...coldRows,
    ``,
    `The 0.25 vCPU column is an estimate: CPU ms divided by 0.25, assuming the pod's CPU is the only limit. ${r.coldQuarter.length ? `Measured in a cgroup with cpu.max 0.25: ${spread(col(r.coldQuarter, "first202Ms"), 0)} ms.` : `Not measured directly: ${r.quarterReason}.`}`,
    ``,
    `## undici as the SQS request handler (packing on)`,
    ``,
    `| service | CPU per update, undici vs the SDK's handler | cut |`,
    `| --- | ---: | ---: |`,
    `| inventory | ${spread(u.inv)}x | ${fmt(u.cuts.inventory * 100)} % |`,
    `| pricing | ${spread(u.pri)}x | ${fmt(u.cuts.pricing * 100)} % |`,
    ``,
    `Rule: bundled only if it cuts CPU per update by ${UNDICI_MIN_CUT * 100} % or more with packing on, and cold start stays within ${COLD_TARGET_MS} ms. undici adds ${fmt(r.bundles.undiciBytes / 1024)} KiB to a minified bundle; cold start with it: ${fmt(u.cold)} ms. Verdict: **${u.pays ? "it pays; the services use it" : "it does not pay; it is not bundled and stays with the bench"}**.`,
    ``,
    `## MD5 verification of SQS answers`,
    ``,
    `Inventory, packed, CPU per update with the check off vs on: ${spread(md5)}x.`,
    ``,
    `## Targets`,
    ``,
    `| target | result | measured: median (per-round range) | why (MISS held by a guarantee) |`,
    `| --- | --- | --- | --- |`,
    ...t.map((x) => `| ${x.name} | ${x.pass ? "PASS" : "MISS"} | ${x.measured} | ${x.note ?? ""} |`),
    ``,
    `## Cost per million stock updates`,
    ``,
    `| what | this design | naive design (one SendMessage per update, sqs-consumer one message at a time) |`,
    `| --- | ---: | ---: |`,
    `| billed SQS requests, inventory | ${perMillion(m(inv.packed, "billedPerUpdate"))} | ${perMillion(m(inv.naive, "billedPerUpdate"))} |`,
    `| billed SQS requests, pricing | ${perMillion(m(pri.packed, "billedPerUpdate"))} | ${perMillion(m(pri.single, "billedPerUpdate"))} |`,
    `| billed SQS requests, end to end | ${perMillion(e2e)} | ${perMillion(naiveBilled)} |`,
    `| CPU seconds, inventory | ${fmt(m(inv.packed, "cpuUsPerUpdate"), 1)} | ${fmt(m(inv.naive, "cpuUsPerUpdate"), 1)} |`,
    `| CPU seconds, pricing | ${fmt(m(pri.packed, "cpuUsPerUpdate"), 1)} | ${fmt(m(pri.single, "cpuUsPerUpdate"), 1)} |`,
    ``,
    `USD ${PRICE_PER_MILLION} per million requests (SQS standard queue, first 100 billion a month). End to end is measured with both services running; the naive end-to-end figure is the sum of its two parts.`,
    ``,
    `## At scale`,
    ``,
    `| updates/s | pods (inventory + pricing) | SQS per month | naive pods | naive SQS per month |`,
    `| ---: | ---: | ---: | ---: | ---: |`,
    ...scaleRows(r),
    ``,
    `Pods: ${POD_VCPU} vCPU each (the manifests' request) at the HPA's ${HPA_UTILIZATION * 100} % target, from the measured CPU per update; at least one each. The bill uses the measured billed requests per update at bench load; at higher rates messages fill further, so it is an upper bound. A 30-day month.`,
    ``,
  ].join("\n");
}

