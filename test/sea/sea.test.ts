// The single executables on their own: each copied to an empty directory and
// run with a PATH that holds no node, against the emulator started here.
// inventory answers /healthz and stores an update (202), pricing prices it,
// both exit 0 on SIGTERM. The executables are built first when absent or
// older than the sources (about 10 s).

import { SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createQueues, EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulator, type Emulator, type QueueSetup } from "../../scripts/emulator.ts";
import { isSeaStale, SEA_SERVICES, seaPath } from "../../scripts/sea.ts";
import { freePort } from "../../scripts/lib/process.ts";
import { ROOT } from "../../scripts/local-stack.ts";
import { readDecisions } from "../helpers/queue.ts";
import { eventually } from "../helpers/until.ts";

let emulator: Emulator;
let queues: QueueSetup;
let dir: string;
const children: ChildProcess[] = [];

before(async () => {
  if (SEA_SERVICES.some(isSeaStale)) {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "sea.ts"), "--if-stale"], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
    assert.equal(r.status, 0, `building the executables failed: ${r.stderr}`);
  }
  emulator = await startEmulator({ port: 0 });
  queues = createQueues(emulator);
  dir = mkdtempSync(join(tmpdir(), "sea-run-"));
  mkdirSync(join(dir, "empty-path"));
  for (const name of SEA_SERVICES) copyFileSync(seaPath(name), join(dir, name));
  copyFileSync(join(ROOT, "examples", "policy.yaml"), join(dir, "policy.yaml"));
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await emulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs ./name from the temp directory with only the variables given and a PATH with nothing in it. */
function runExecutable(name: string, env: Record<string, string>): { proc: ChildProcess; output: string[] } {
  const proc = spawn(join(dir, name), [], {
    cwd: dir,
    env: { PATH: join(dir, "empty-path"), ...EMULATOR_CREDENTIALS, AWS_REGION: EMULATOR_REGION, AWS_ENDPOINT_URL_SQS: emulator.endpoint, HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(proc);
  const output: string[] = [];
  proc.stdout?.setEncoding("utf8").on("data", (c: string) => output.push(c));
  proc.stderr?.setEncoding("utf8").on("data", (c: string) => output.push(c));
  return { proc, output };
}

async function waitHealthy(url: string, p: { proc: ChildProcess; output: string[] }, timeoutMs = 20_000): Promise<void> {
  let healthy = false;
  const check = async () => (healthy = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false)) || p.proc.exitCode !== null;
  await eventually(check, { timeoutMs, intervalMs: 50 });
  if (healthy) return;
  throw new Error(`${url}/healthz never answered 200 (exit ${p.proc.exitCode}); output:\n${p.output.join("")}`);
}

async function stopWithSigterm(p: { proc: ChildProcess; output: string[] }): Promise<number | null> {
  const exited = once(p.proc, "exit");
  p.proc.kill("SIGTERM");
  const timer = setTimeout(() => p.proc.kill("SIGKILL"), 40_000);
  const [code] = (await exited) as [number | null];
  clearTimeout(timer);
  return code;
}

test("the executables run with no node on the PATH: inventory stores an update, pricing prices it, both stop with exit 0 on SIGTERM", { timeout: 120_000 }, async () => {
  assert.deepEqual(readdirSync(join(dir, "empty-path")), [], "the PATH holds nothing, so no node");
  const token = "sea-test-token-0123456789";
  const inventoryPort = await freePort();
  const inventory = runExecutable("inventory", { PORT: String(inventoryPort), QUEUE_URL: queues.inventoryUrl, AUTH_TOKENS: token });
  const inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
  await waitHealthy(inventoryUrl, inventory);

  const res = await fetch(`${inventoryUrl}/v1/inventory`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ sku: "ABC-1", quantity: 3, version: 1 }),
  });
  assert.equal(res.status, 202);
  const { ids } = (await res.json()) as { ids: string[] };

  const pricingPort = await freePort();
  const pricing = runExecutable("pricing", { PORT: String(pricingPort), QUEUE_URL: queues.inventoryUrl, PRICE_QUEUE_URL: queues.priceUrl, POLICY_FILE: join(dir, "policy.yaml") });
  await waitHealthy(`http://127.0.0.1:${pricingPort}`, pricing);

  const sqs = new SQSClient({ region: EMULATOR_REGION, endpoint: emulator.endpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  let decision;
  try {
    decision = (await readDecisions(sqs, queues.priceUrl, new Set([ids[0]]), 20_000)).get(ids[0]);
  } finally {
    sqs.destroy();
  }
  assert.ok(decision, `pricing decided nothing for ${ids[0]}; pricing output:\n${pricing.output.join("")}`);
  assert.deepEqual({ sku: decision.sku, price: decision.price, rule: decision.rule }, { sku: "ABC-1", price: 2299, rule: "band:low-stock" });

  assert.equal(await stopWithSigterm(pricing), 0, pricing.output.join(""));
  assert.equal(await stopWithSigterm(inventory), 0, inventory.output.join(""));
});
