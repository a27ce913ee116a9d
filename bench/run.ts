// npm run bench: the speed and the SQS bill, measured side by side on this
// machine. Every comparison runs its variants interleaved (A B C D A B C D ...)
// in fresh processes, reports medians and per-round ranges, and prints
// PASS/MISS against the targets (never failing). Writes
// bench/results/latest.{md,json,svg} and copies latest.md's measured sections into docs/performance.md.
//
//   npm run bench -- [--rounds N] [--duration S] [--updates N] [--latency-ms N] [--sqs stub|fauxqs] [--quick]
//                    [--only inventory,pricing,cold,curve,profile]   sections to run while iterating (results go to bench/results/partial.*)
//                    [--curve-rounds N]   rounds of the cost-latency curve (end to end per BATCH_LINGER_MS), 3 by default
//   npm run bench -- --rewrite    only rewrite latest.md, .svg and docs/performance.md from latest.json

import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildVariants } from "./build.ts";
import { fmt, median, ROOT } from "./measure.ts";
import { writePerfPage } from "./readme.ts";
import { markdown, targets, type Results } from "./report.ts";
import { profileInventory } from "./profile.ts";
import { CURVE_POINTS, curveSvg, curveText, endToEnd, type CurveKey, type EndToEndRun } from "./curve.ts";
import { coldStart, inventoryRound, pricingRound, quarterCpuGroup, COLD_VARIANTS, INVENTORY_VARIANTS, PRICING_VARIANTS, type ColdRun, type InventoryRun, type InventoryVariant, type PricingRun, type PricingVariant, type Settings } from "./rounds.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    duration: { type: "string", default: "3" },
    updates: { type: "string", default: "4000" },
    quick: { type: "boolean", default: false },
    "latency-ms": { type: "string", default: "0" },
    sqs: { type: "string", default: "stub" },
    rewrite: { type: "boolean", default: false },
    "curve-rounds": { type: "string", default: "3" },
    only: { type: "string", default: "inventory,pricing,cold,curve,profile" },
  },
});
const ROUNDS = args.quick ? 2 : Math.max(1, Number(args.rounds));
const settings: Settings = {
  kind: args.sqs === "fauxqs" ? "fauxqs" : "stub",
  latencyMs: Math.max(0, Number(args["latency-ms"])),
  durationS: args.quick ? 2 : Math.max(1, Number(args.duration)),
  updates: args.quick ? 1000 : Math.max(100, Number(args.updates)),
};
const only = new Set(args.only.split(","));
const started = Date.now();
const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

function chart(r: Results): string {
  const bars = (Object.keys(INVENTORY_VARIANTS) as InventoryVariant[]).map((v) => ({ label: INVENTORY_VARIANTS[v].label, value: median(r.inventory[v].map((x) => x.rps)) }));
  const w = 700, rowH = 28, left = 300, max = Math.max(...bars.map((b) => b.value).filter(Number.isFinite), 1);
  const rows = bars.map((b, i) => {
    const y = 40 + i * rowH;
    const len = Number.isFinite(b.value) ? ((w - left - 90) * b.value) / max : 0;
    return `<text x="${left - 8}" y="${y + 16}" text-anchor="end" font-size="12">${b.label}</text><rect x="${left}" y="${y + 4}" width="${len.toFixed(1)}" height="18" fill="#3b7dd8"/><text x="${left + len + 6}" y="${y + 17}" font-size="12">${fmt(b.value)} /s</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${60 + bars.length * rowH}" font-family="sans-serif"><text x="10" y="24" font-size="14" font-weight="bold">Inventory: accepted updates/s (median)</text>${rows.join("")}</svg>\n`;
}

function write(results: Results, base: string): string {
  const md = markdown(results);
  const out = join(ROOT, "bench", "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${base}.md`), md);
  writeFileSync(join(out, `${base}.svg`), chart(results));
  if (results.curve) writeFileSync(join(out, `${base}-curve.svg`), curveSvg(results.curve));
  writeFileSync(join(out, `${base}.json`), JSON.stringify({ ...results, targets: targets(results) }, null, 2));
  if (base === "latest") {
    writePerfPage(md);
  }
  return md;
}

async function main() {
  if (args.rewrite) {
    const { targets: _, ...results } = JSON.parse(readFileSync(join(ROOT, "bench", "results", "latest.json"), "utf8"));
    write(results as Results, "latest");
    log("rewrote bench/results/latest.md, .svg and docs/performance.md's measured part from latest.json");
    return;
  }
  const loadAtStart = loadavg()[0];
  for (const f of ["inventory.mjs", "pricing.mjs"]) if (!existsSync(join(ROOT, "dist", f))) throw new Error(`dist/${f} missing: run node build.mjs`);
  const { undiciBytes } = await buildVariants();
  log(`SQS: ${settings.kind}; ${ROUNDS} rounds, ${settings.durationS} s per load run at 64 connections, ${settings.updates} updates per pricing run, stub latency ${settings.latencyMs} ms`);

  const inventory = Object.fromEntries(Object.keys(INVENTORY_VARIANTS).map((k) => [k, [] as InventoryRun[]])) as Record<InventoryVariant, InventoryRun[]>;
  const pricing = Object.fromEntries(Object.keys(PRICING_VARIANTS).map((k) => [k, [] as PricingRun[]])) as Record<PricingVariant, PricingRun[]>;
  const cold = { floor: [] as ColdRun[], shipped: [] as ColdRun[], undici: [] as ColdRun[] };
  const curve = Object.fromEntries(CURVE_POINTS.map((p) => [p.key, [] as EndToEndRun[]])) as Record<CurveKey, EndToEndRun[]>;
  const curveRounds = args.quick ? 1 : Math.max(0, Number(args["curve-rounds"]));
  for (let r = 1; r <= ROUNDS; r++) {
    for (const v of only.has("inventory") ? (Object.keys(INVENTORY_VARIANTS) as InventoryVariant[]) : []) {
      const x = await inventoryRound(settings, v);
      inventory[v].push(x);
      log(`inventory ${r}/${ROUNDS} ${v.padEnd(13)} ${fmt(x.rps)} updates/s, ${fmt(x.cpuUsPerUpdate, 1)} us CPU/update, p99 ${x.p99} ms, ${fmt(x.billedPerUpdate, 4)} billed/update, non-2xx ${x.non2xx}`);
    }
    for (const v of only.has("pricing") ? (Object.keys(PRICING_VARIANTS) as PricingVariant[]) : []) {
      const x = await pricingRound(settings, v);
      pricing[v].push(x);
      log(`pricing ${r}/${ROUNDS} ${v.padEnd(13)} ${fmt(x.updatesPerS)} updates/s, ${fmt(x.cpuUsPerUpdate, 1)} us CPU/update, ${fmt(x.billedPerUpdate, 4)} billed/update`);
    }
    for (const v of only.has("cold") ? (Object.keys(COLD_VARIANTS) as Array<keyof typeof COLD_VARIANTS>) : []) {
      const x = await coldStart(settings, v);
      cold[v].push(x);
      log(`cold start ${r}/${ROUNDS} ${v.padEnd(8)} first 202 after ${fmt(x.first202Ms)} ms, ${fmt(x.cpuMs)} ms CPU`);
    }
    if (r <= curveRounds && only.has("curve")) {
      for (const p of CURVE_POINTS) {
        const x = await endToEnd(settings, p.lingerMs, p.pollers);
        curve[p.key].push(x);
        log(`end to end ${r}/${curveRounds} linger ${p.lingerMs} ms, ${p.pollers} poller(s): ${x.accepted} updates, p50 ${x.p50} p99 ${x.p99} ms, ${fmt(x.billedPerUpdate, 4)} billed/update, ${fmt(x.messagesPerReceive ?? NaN, 2)} messages/receive ${JSON.stringify(x.billed)}`);
      }
    }
  }
  // One CPU profile of the shipped inventory at the same load: where each microsecond per update goes.
  const profile = only.has("profile") ? await profileInventory(settings.durationS) : undefined;
  if (profile) log(`profile: ${profile.updates} updates, ${fmt(profile.cpuUs, 1)} us CPU/update`);
  const group = quarterCpuGroup();
  const coldQuarter: ColdRun[] = [];
  if (group.dir) {
    if (only.has("cold")) for (let r = 1; r <= Math.min(3, ROUNDS); r++) coldQuarter.push(await coldStart(settings, "shipped", group.dir));
    group.remove();
  } else {
    log(`cold start at 0.25 vCPU: not measured: ${group.reason}`);
  }

  const results: Results = {
    date: new Date().toISOString().slice(0, 10),
    machine: `this machine (${execFileSync("nproc").toString().trim()} cores, Node ${process.version}, shared)`,
    sqs: settings.kind === "fauxqs" ? "the fauxqs emulator (no request counts: those figures read n/a)" : `the local SQS stub (${settings.latencyMs ? `${settings.latencyMs} ms added per request` : "no added latency"})`,
    rounds: ROUNDS,
    durationS: settings.durationS,
    updates: settings.updates,
    inventory,
    pricing,
    endToEnd: curve.linger5,
    curve,
    profile,
    cold,
    coldQuarter,
    quarterReason: group.reason,
    loadAverage: [loadAtStart, loadavg()[0]],
    bundles: { inventory: statSync(join(ROOT, "dist", "inventory.mjs")).size, pricing: statSync(join(ROOT, "dist", "pricing.mjs")).size, undiciBytes },
  };
  const base = settings.kind === "fauxqs" ? "fauxqs" : only.size < 5 ? "partial" : "latest";
  const md = write(results, base);
  process.stdout.write("\n" + md + "\n");
  if (results.curve) process.stdout.write(`Cost-latency curve (bench/results/${base}-curve.svg):\n${curveText(results.curve)}\n\n`);
  for (const t of targets(results)) process.stdout.write(`${t.pass ? "PASS" : "MISS"}  ${t.name}: ${t.measured}${t.note ? `\n      ${t.note}` : ""}\n`);
  log(`done; wrote bench/results/${base}.md, .svg, .json${base === "latest" ? " and docs/performance.md's measured part" : ""}`);
}

await main();
