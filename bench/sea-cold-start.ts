// Cold start of inventory as a single executable next to the bundle on Node:
// spawn to first 202 (as `npm run bench` measures the bundle), idle RSS and
// file size, rounds interleaved so both see the same machine.
//
//   npm run bench:sea [-- --rounds N]      (default 10; builds what is stale first)
//
// Writes bench/results/sea.md and sea.json.

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { createQueues, startEmulator } from "../scripts/emulator.ts";
import { freePort, rssMb } from "../scripts/lib/process.ts";
import { ROOT, serviceEnv } from "../scripts/lib/stack.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "10" } } });
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 100) {
  process.stderr.write(`--rounds must be a whole number from 1 to 100, got "${values.rounds}"\n`);
  process.exit(2);
}
const TOKEN = "bench-sea-token-0123456789";

const VARIANTS = {
  bundle: { command: process.execPath, args: [join(ROOT, "dist", "inventory.mjs")], file: join(ROOT, "dist", "inventory.mjs") },
  executable: { command: join(ROOT, "dist", "bin", "inventory"), args: [], file: join(ROOT, "dist", "bin", "inventory") },
};
type Variant = keyof typeof VARIANTS;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, d = 0) => n.toFixed(d);

const emulator = await startEmulator({ port: 0 });
const queues = createQueues(emulator);

async function round(v: Variant): Promise<{ first202Ms: number; idleRssMb: number }> {
  const port = await freePort();
  const { command, args } = VARIANTS[v];
  const env = { PATH: process.env.PATH ?? "", ...serviceEnv("inventory", { endpoint: emulator.endpoint, queues, token: TOKEN, port, logLevel: "warn" }) };
  const t0 = performance.now();
  const child: ChildProcess = spawn(command, args, { env, stdio: "ignore" });
  try {
    let first202 = NaN;
    for (let i = 0; i < 5000 && Number.isNaN(first202) && child.exitCode === null; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/inventory`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: '{"sku":"ABC-1","quantity":1}' });
        if (res.status === 202) first202 = performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (Number.isNaN(first202)) await sleep(2);
    }
    await sleep(500);
    return { first202Ms: first202, idleRssMb: rssMb(child.pid!) };
  } finally {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
}

const results: Record<Variant, Array<{ first202Ms: number; idleRssMb: number }>> = { bundle: [], executable: [] };
try {
  for (let r = 1; r <= ROUNDS; r++) {
    for (const v of (r % 2 ? ["bundle", "executable"] : ["executable", "bundle"]) as Variant[]) {
      const res = await round(v);
      results[v].push(res);
      process.stdout.write(`round ${r}/${ROUNDS} ${v.padEnd(10)} first 202 after ${fmt(res.first202Ms)} ms, idle RSS ${fmt(res.idleRssMb, 1)} MB\n`);
    }
  }
} finally {
  await emulator.stop();
}

const row = (v: Variant) => {
  const cold = median(results[v].map((x) => x.first202Ms));
  const rss = median(results[v].map((x) => x.idleRssMb));
  const size = statSync(VARIANTS[v].file).size / 1024 / 1024;
  return { cold, rss, size };
};
const b = row("bundle");
const e = row("executable");
const md = [
  `# inventory: single executable vs bundle on Node`,
  ``,
  `${new Date().toISOString()}, ${ROUNDS} interleaved rounds, median; SQS: the embedded emulator. Command: \`npm run bench:sea\`.`,
  ``,
  `| | bundle (node dist/inventory.mjs) | single executable (dist/bin/inventory) | ratio |`,
  `| --- | --- | --- | --- |`,
  `| spawn to first 202 | ${fmt(b.cold)} ms | ${fmt(e.cold)} ms | x${(e.cold / b.cold).toFixed(2)} |`,
  `| idle RSS | ${fmt(b.rss, 1)} MB | ${fmt(e.rss, 1)} MB | x${(e.rss / b.rss).toFixed(2)} |`,
  `| file size | ${fmt(b.size, 2)} MiB (+ a Node runtime) | ${fmt(e.size, 1)} MiB (runtime included) | |`,
  ``,
].join("\n");
process.stdout.write(`\n${md}`);
const out = join(ROOT, "bench", "results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "sea.md"), md);
writeFileSync(join(out, "sea.json"), JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, results }, null, 2) + "\n");
