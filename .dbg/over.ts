import { setTimeout as sleep } from "node:timers/promises";
import { load, percentile } from "../scripts/faults/client.ts";
import { History } from "../scripts/faults/history.ts";
import { rssMb } from "../scripts/faults/procs.ts";
import { FaultStack } from "../scripts/faults/stack.ts";
const [soak, opts, pending] = [Number(process.argv[2] ?? 20), process.argv[3] ?? "", process.argv[4] ?? "5000"];
const env: Record<string, string> = { MAX_PENDING_UPDATES: pending, ...(process.env.ARENA ? { MALLOC_ARENA_MAX: process.env.ARENA, MALLOC_TRIM_THRESHOLD_: "131072", MALLOC_MMAP_THRESHOLD_: "131072" } : {}) };

const stack = await FaultStack.start({ visibilityS: 10, maxReceive: 5, inventoryEnv: env, inventoryNodeArgs: opts ? opts.split(' ') : [] }, { pricing: false });
const pid = stack.inventory!.pid;
await sleep(500);
const base = rssMb(pid);
const t = setInterval(() => process.stdout.write(`${rssMb(pid).toFixed(0)} `), 2000);
const h = new History();
const r = await load({ url: stack.inventoryUrl, token: stack.token, connections: 256, perRequest: 50, durationMs: soak * 1000, maxRequests: 1e6, history: h, skuPrefix: "ABC-x-", backoffMs: 20 });
clearInterval(t);
const after: number[] = [];
for (let i = 0; i < Number(process.env.AFTER ?? 5); i++) { await sleep(1000); after.push(rssMb(pid)); }
console.log(`\nopts=${opts} pending=${pending} base ${base.toFixed(0)} peak ${stack.rss.peak("inventory").toFixed(0)} after ${after.map((a) => a.toFixed(0)).join(" ")} 202=${h.answers.get("202")} 503=${h.answers.get("503")} p50 ${percentile(r.latenciesMs, 50)} p99 ${percentile(r.latenciesMs, 99)}`);
await stack.stop();
const gcs = stack.inventory!.lines.filter((l) => /Mark-Compact|Scavenge|Mark-Sweep/.test(l));
console.log(gcs.slice(-4).join("\n"), gcs.length);
