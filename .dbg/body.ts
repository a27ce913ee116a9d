import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "undici";
import { rssMb } from "../scripts/faults/procs.ts";
import { FaultStack } from "../scripts/faults/stack.ts";
const [conns, kb] = [Number(process.argv[2]), Number(process.argv[3])];
const stack = await FaultStack.start({ visibilityS: 10, maxReceive: 5, inventoryNodeArgs: ["--max-old-space-size=128"], inventoryEnv: { MAX_BODY_BYTES: String(2 * 1024 * 1024) } }, { pricing: false });
const pid = stack.inventory!.pid;
await sleep(500);
const base = rssMb(pid);
const until = Date.now() + 10_000;
let n = 0; const codes = new Map<number, number>();
await Promise.all(Array.from({ length: conns }, async (_, w) => {
  const c = new Client(stack.inventoryUrl);
  while (Date.now() < until) {
    const updates = Array.from({ length: 50 }, (_, i) => ({ sku: `ABC-${w}-${n++}`, quantity: i, version: 1 }));
    const body = JSON.stringify(updates) + " ".repeat(kb * 1024);
    const res = await c.request({ path: "/v1/inventory", method: "POST", headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/json" }, body });
    await res.body.dump(); codes.set(res.statusCode, (codes.get(res.statusCode) ?? 0) + 1);
  }
  await c.close();
}));
console.log(`conns ${conns} body ${kb} KiB: base ${base.toFixed(0)} peak ${stack.rss.peak("inventory").toFixed(0)} codes ${JSON.stringify([...codes])}`);
await stack.stop();
