// The cost-latency curve: inventory as shipped and pricing end to end at
// several BATCH_LINGER_MS settings (and pricing with fewer pollers), 64
// connections. Per setting: billed SQS requests per update by action, the
// 202's p50/p99, pricing's receive side (messages and updates per receive,
// its CPU per update). Plus the hand-written SVG chart of the curve.

import { freePorts, startChild } from "../scripts/lib/process.ts";
import { BUNDLES } from "../scripts/lib/stack.ts";
import { benchEnv, cpuUs, drained, fmt, load, median, startStub, TOKEN, total } from "./measure.ts";
import { PRICING_ARGS, type Settings } from "./rounds.ts";

/** The settings measured: the shipped default (linger 5) is the end-to-end figure of the targets. */
export const CURVE_POINTS = [
  { key: "linger0", lingerMs: 0, pollers: 2 },
  { key: "linger5", lingerMs: 5, pollers: 2 },
  { key: "linger20", lingerMs: 20, pollers: 2 },
  { key: "linger50", lingerMs: 50, pollers: 2 },
  { key: "linger20p1", lingerMs: 20, pollers: 1 },
] as const;
export type CurveKey = (typeof CURVE_POINTS)[number]["key"];
export const DEFAULT_POINT: CurveKey = "linger5";

export interface EndToEndRun {
  lingerMs?: number;
  pollers?: number;
  accepted: number;
  rps: number;
  p50?: number;
  p99?: number;
  billed: Record<string, number>;
  billedPerUpdate: number;
  /** Receives, messages they brought, updates per message (pricing's side). */
  receives?: number;
  messagesPerReceive?: number;
  updatesPerMessage?: number;
  pricingCpuUsPerUpdate?: number;
}

export async function endToEnd(s: Settings, lingerMs = 5, pollers = 2): Promise<EndToEndRun> {
  const stub = await startStub(s.kind, s.latencyMs);
  // Both ports at once: asked for one after the other they can come back equal.
  const [port, pricingPort] = await freePorts(2);
  const inventory = startChild([BUNDLES.inventory], benchEnv("inventory", { endpoint: stub.url, queues: stub.queues, token: TOKEN, port }, { BATCH_LINGER_MS: String(lingerMs) }));
  // Pricing through the bench entry with the SDK's handler: the same code as
  // dist/pricing.mjs, configured as in production.
  const pricing = startChild(PRICING_ARGS, benchEnv("pricing", { endpoint: stub.url, queues: stub.queues, port: pricingPort }, { SERVICE: "pricing", HANDLER: "default", POLLERS: String(pollers), DLQ_URL: stub.queues.dlqUrl }));
  try {
    await inventory.waitFor(/inventory\.ready/);
    await pricing.waitFor(/pricing\.ready/);
    const before = await stub.stats();
    const cpu0 = cpuUs(pricing.pid);
    const r = await load(`http://127.0.0.1:${port}/v1/inventory`, 64, s.durationS);
    const stats = await drained(stub, 60_000, "end to end");
    const ok = Math.max(1, r.ok);
    const pricingCpu = cpuUs(pricing.pid) - cpu0;
    const billed = Object.fromEntries(Object.entries(stats.billed).map(([a, n]) => [a, n - (before.billed[a] ?? 0)]));
    const receives = (stats.counts.ReceiveMessage ?? 0) - (before.counts.ReceiveMessage ?? 0);
    const messages = (stats.receives?.messages ?? NaN) - (before.receives?.messages ?? 0);
    return {
      lingerMs, pollers, accepted: r.ok, rps: r.rps, p50: r.p50, p99: r.p99, billed, billedPerUpdate: total(billed) / ok,
      receives, messagesPerReceive: messages / Math.max(1, receives), updatesPerMessage: r.ok / Math.max(1, messages), pricingCpuUsPerUpdate: pricingCpu / ok,
    };
  } finally {
    // Everything is counted: no need to wait for pricing's long polls to answer.
    await pricing.stop("SIGKILL");
    await inventory.stop();
    await stub.stop();
  }
}

const m = (runs: EndToEndRun[], f: (r: EndToEndRun) => number | undefined) => median(runs.map((r) => f(r) ?? NaN));

export function curveRows(curve: Partial<Record<CurveKey, EndToEndRun[]>>): string[] {
  return CURVE_POINTS.filter((p) => curve[p.key]?.length).map((p) => {
    const runs = curve[p.key]!;
    const per = (a: string) => fmt(m(runs, (r) => (r.billed[a] ?? 0) / Math.max(1, r.accepted)), 4);
    const billed = runs.map((r) => r.billedPerUpdate);
    return `| ${p.lingerMs} | ${p.pollers} | ${fmt(m(runs, (r) => r.rps))} | ${fmt(m(runs, (r) => r.p50))} | ${fmt(m(runs, (r) => r.p99))} | ${fmt(median(billed), 4)} (${fmt(Math.min(...billed), 4)}-${fmt(Math.max(...billed), 4)}) | ${per("SendMessageBatch")} | ${per("ReceiveMessage")} | ${per("DeleteMessageBatch")} | ${fmt(m(runs, (r) => r.updatesPerMessage), 1)} | ${fmt(m(runs, (r) => r.messagesPerReceive), 2)} | ${fmt(m(runs, (r) => r.pricingCpuUsPerUpdate), 1)} |`;
  });
}

export const CURVE_HEADER = [
  `| BATCH_LINGER_MS | pricing POLLERS | updates/s | p50 ms | p99 ms | billed SQS requests/update, all | SendMessageBatch | ReceiveMessage | DeleteMessageBatch | updates per message | messages per receive | pricing CPU us/update |`,
  `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
];

/**
 * The recommended settings among the default-poller points: for cost, the
 * shortest linger whose bill is within 5 % of the cheapest (past that a longer
 * linger only adds latency); for latency, the lowest p50 (p99 moves too much
 * on a shared machine to pick by), ties to the lower p99.
 */
export function recommend(curve: Partial<Record<CurveKey, EndToEndRun[]>>): { cost?: number; latency?: number } {
  const pts = CURVE_POINTS.filter((p) => p.pollers === 2 && curve[p.key]?.length).map((p) => ({ linger: p.lingerMs, billed: m(curve[p.key]!, (r) => r.billedPerUpdate), p50: m(curve[p.key]!, (r) => r.p50), p99: m(curve[p.key]!, (r) => r.p99) }));
  if (!pts.length) return {};
  const cheapest = Math.min(...pts.map((p) => p.billed));
  const cost = pts.filter((p) => p.billed <= cheapest * 1.05).sort((a, b) => a.linger - b.linger)[0];
  const latency = [...pts].sort((a, b) => a.p50 - b.p50 || a.p99 - b.p99)[0];
  return { cost: cost.linger, latency: latency.linger };
}

/** Billed requests per update (bars, left axis) and p50/p99 (lines, right axis) against BATCH_LINGER_MS. */
export function curveSvg(curve: Partial<Record<CurveKey, EndToEndRun[]>>): string {
  const pts = CURVE_POINTS.filter((p) => p.pollers === 2 && curve[p.key]?.length).map((p) => ({ linger: p.lingerMs, billed: m(curve[p.key]!, (r) => r.billedPerUpdate), p50: m(curve[p.key]!, (r) => r.p50), p99: m(curve[p.key]!, (r) => r.p99) }));
  const W = 640, H = 300, L = 70, R = 70, T = 40, B = 50, pw = W - L - R, ph = H - T - B;
  const maxBilled = Math.max(...pts.map((p) => p.billed).filter(Number.isFinite), 0.001) * 1.15;
  const maxMs = Math.max(...pts.map((p) => p.p99).filter(Number.isFinite), 1) * 1.15;
  const x = (i: number) => L + (pw * (i + 0.5)) / Math.max(1, pts.length);
  const yB = (v: number) => T + ph - (ph * v) / maxBilled;
  const yM = (v: number) => T + ph - (ph * v) / maxMs;
  const bw = pw / Math.max(1, pts.length) / 2.5;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<text x="${L}" y="20" font-size="14" font-weight="bold">Cost and latency against BATCH_LINGER_MS (64 connections, medians)</text>`];
  out.push(`<line x1="${L}" y1="${T + ph}" x2="${L + pw}" y2="${T + ph}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${T + ph}" stroke="#333"/><line x1="${L + pw}" y1="${T}" x2="${L + pw}" y2="${T + ph}" stroke="#333"/>`);
  for (const f of [0, 0.5, 1]) {
    out.push(`<text x="${L - 6}" y="${yB(maxBilled * f) + 4}" text-anchor="end">${(maxBilled * f).toFixed(3)}</text><text x="${L + pw + 6}" y="${yM(maxMs * f) + 4}">${(maxMs * f).toFixed(0)} ms</text>`);
  }
  out.push(`<text x="14" y="${T + ph / 2}" transform="rotate(-90 14 ${T + ph / 2})" text-anchor="middle">billed requests per update</text><text x="${W - 12}" y="${T + ph / 2}" transform="rotate(90 ${W - 12} ${T + ph / 2})" text-anchor="middle">202 latency</text>`);
  pts.forEach((p, i) => {
    if (Number.isFinite(p.billed)) out.push(`<rect x="${(x(i) - bw / 2).toFixed(1)}" y="${yB(p.billed).toFixed(1)}" width="${bw.toFixed(1)}" height="${(T + ph - yB(p.billed)).toFixed(1)}" fill="#9cc3f0"/><text x="${x(i)}" y="${(yB(p.billed) - 4).toFixed(1)}" text-anchor="middle">${p.billed.toFixed(4)}</text>`);
    out.push(`<text x="${x(i)}" y="${T + ph + 16}" text-anchor="middle">${p.linger} ms</text>`);
  });
  for (const [k, colour] of [["p50", "#2a8a3a"], ["p99", "#d8583b"]] as const) {
    const line = pts.filter((p) => Number.isFinite(p[k])).map((p) => `${x(pts.indexOf(p)).toFixed(1)},${yM(p[k]).toFixed(1)}`);
    out.push(`<polyline points="${line.join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    pts.forEach((p, i) => Number.isFinite(p[k]) && out.push(`<circle cx="${x(i).toFixed(1)}" cy="${yM(p[k]).toFixed(1)}" r="3" fill="${colour}"/>`));
  }
  out.push(`<text x="${L}" y="${H - 10}">BATCH_LINGER_MS</text><rect x="${L + 150}" y="${H - 20}" width="12" height="10" fill="#9cc3f0"/><text x="${L + 166}" y="${H - 11}">billed/update</text><line x1="${L + 260}" y1="${H - 15}" x2="${L + 280}" y2="${H - 15}" stroke="#2a8a3a" stroke-width="2"/><text x="${L + 284}" y="${H - 11}">p50</text><line x1="${L + 320}" y1="${H - 15}" x2="${L + 340}" y2="${H - 15}" stroke="#d8583b" stroke-width="2"/><text x="${L + 344}" y="${H - 11}">p99</text>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/** The chart as text for the terminal: one bar of billed requests per update per setting, with p50/p99. */
export function curveText(curve: Partial<Record<CurveKey, EndToEndRun[]>>): string {
  const pts = CURVE_POINTS.filter((p) => curve[p.key]?.length).map((p) => ({ p, billed: m(curve[p.key]!, (r) => r.billedPerUpdate), p50: m(curve[p.key]!, (r) => r.p50), p99: m(curve[p.key]!, (r) => r.p99) }));
  const max = Math.max(...pts.map((x) => x.billed).filter(Number.isFinite), 1e-9);
  return pts.map(({ p, billed, p50, p99 }) => `  linger ${String(p.lingerMs).padStart(2)} ms, ${p.pollers} poller(s)  ${"#".repeat(Number.isFinite(billed) ? Math.round((40 * billed) / max) : 0).padEnd(40)} ${fmt(billed, 4)} billed/update  p50 ${fmt(p50)} ms  p99 ${fmt(p99)} ms`).join("\n");
}
