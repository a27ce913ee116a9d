// The local stack end to end: emulator + both bundles as child processes,
// updates over HTTP, decisions read from price-change-queue with the real SDK.

import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createQueues, startEmulator } from "../../scripts/emulator.ts";
import { PortInUseError, startStack, ROOT } from "../../scripts/local-stack.ts";
import { startChild } from "../../scripts/lib/process.ts";
import { readDecisions } from "../helpers/queue.ts";
import { eventually } from "../helpers/until.ts";

// Hand-computed from examples/policy.yaml: base, band percent (half up), limits, .99 ending.
const EXPECTED: Array<[sku: string, quantity: number, price: number, rule: string]> = [
  ["ABC-1", 3, 2299, "band:low-stock"], // 1999 x 1.15 = 2298.85 -> 2299 (already .99)
  ["ABC-2", 5, 5199, "band:low-stock"], // 4500 x 1.15 = 5175 -> nearest .99 is 51.99
  ["ABC-77", 20, 999, "band:normal"], // prefix ABC- = 999
  ["TSHIRT-RED-M", 1000, 1999, "band:overstock"], // 2499 x 0.80 = 1999.2 -> 1999
  ["ABC-9", 0, 1299, "band:sold-out"], // 999 x 1.30 = 1298.7 -> 1299
];

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portFree(port: number): Promise<boolean> {
  const s = createServer();
  try {
    await new Promise<void>((ok, fail) => {
      s.once("error", fail);
      s.listen(port, "127.0.0.1", () => ok());
    });
    return true;
  } catch {
    return false;
  } finally {
    if (s.listening) await new Promise((r) => s.close(r));
  }
}

test("updates posted to the stack come out as price decisions; stop leaves no process and no port behind", { timeout: 60_000 }, async () => {
  const lines: string[] = [];
  const stack = await startStack({ sqsPort: 0, inventoryPort: 0, pricingPort: 0, policyFile: join(ROOT, "examples", "policy.yaml"), output: (l) => void lines.push(l), raw: true });
  const pids = [...childrenOf(process.pid)];
  const ports = [stack.inventoryUrl, stack.pricingUrl, stack.sqsEndpoint].map((u) => Number(new URL(u).port));
  const sqs = new SQSClient({ region: stack.region, endpoint: stack.sqsEndpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    const updates = EXPECTED.map(([sku, quantity]) => ({ sku, quantity, version: 1 }));
    const res = await fetch(`${stack.inventoryUrl}/v1/inventory`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/json" },
      body: JSON.stringify(updates),
    });
    assert.equal(res.status, 202);
    const { ids } = (await res.json()) as { ids: string[] };
    const decisions = await readDecisions(sqs, stack.queues.priceUrl, new Set(ids), 20_000);
    EXPECTED.forEach(([sku, quantity, price, rule], i) => {
      const d = decisions.get(ids[i]);
      assert.ok(d, `a decision for ${sku}`);
      assert.deepEqual({ sku: d.sku, quantity: d.quantity, price: d.price, rule: d.rule }, { sku, quantity, price, rule }, sku);
    });
    // The decision can reach price-change-queue before pricing's log line has crossed the pipe: wait for it, bounded.
    const logged = () => lines.some((l) => l.startsWith("pricing") && l.includes("price.changed"));
    await eventually(logged, { timeoutMs: 5_000, intervalMs: 50 });
    assert.ok(logged(), "pricing logs the change");
    assert.ok(lines.some((l) => l.startsWith("inventory")), "inventory lines carry the service name");
  } finally {
    sqs.destroy();
    await stack.stop();
  }
  assert.ok(pids.length >= 2, "both services ran as child processes");
  for (const pid of pids) assert.equal(alive(pid), false, `process ${pid} is gone`);
  for (const port of ports) assert.equal(await portFree(port), true, `port ${port} is free`);
});

test("a port in use is refused with the port and the option to change it", async () => {
  const busy: Server = createServer();
  await new Promise<void>((ok) => busy.listen(0, "127.0.0.1", () => ok()));
  const port = (busy.address() as { port: number }).port;
  try {
    await assert.rejects(
      startStack({ sqsPort: 0, inventoryPort: port, pricingPort: 0, policyFile: join(ROOT, "examples", "policy.yaml"), output: () => {}, raw: false }),
      (err: unknown) => err instanceof PortInUseError && err.message.includes(String(port)) && err.message.includes("--port"),
    );
    const cli = startChild([join(ROOT, "scripts", "stack.ts"), "--sqs-port", String(port)], {});
    const { code } = await cli.exited;
    assert.equal(code, 1);
    assert.ok(cli.lines.some((l) => l.includes(`port ${port}`) && l.includes("--sqs-port")), cli.lines.join("\n"));
  } finally {
    busy.close();
  }
});

test("--data-dir keeps queued messages across an emulator restart", { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sqs-data-"));
  const client = (endpoint: string) => new SQSClient({ region: "us-east-1", endpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  let emulator = await startEmulator({ port: 0, dataDir: dir });
  let queues = createQueues(emulator);
  let sqs = client(emulator.endpoint);
  await sqs.send(new SendMessageCommand({ QueueUrl: queues.inventoryUrl, MessageBody: "kept across restarts" }));
  sqs.destroy();
  await emulator.stop();

  emulator = await startEmulator({ port: 0, dataDir: dir });
  try {
    queues = createQueues(emulator);
    sqs = client(emulator.endpoint);
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.inventoryUrl, WaitTimeSeconds: 1 }));
    assert.equal(r.Messages?.[0]?.Body, "kept across restarts");
    sqs.destroy();
  } finally {
    await emulator.stop();
  }
});

function serviceChildren(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const child of childrenOf(pid)) {
    const cmd = readFileSync(`/proc/${child}/cmdline`, "utf8");
    const m = /dist\/(inventory|pricing)\.mjs/.exec(cmd);
    if (m) out.set(m[1], child);
  }
  return out;
}

test("npm start's CLI: Ctrl-C stops everything and exits 0; a service that dies makes it say which and exit 1", { timeout: 90_000 }, async () => {
  const args = [join(ROOT, "scripts", "stack.ts"), "--port", "0", "--pricing-port", "0", "--sqs-port", "0"];
  const first = startChild(args, {});
  await first.waitFor(/Ctrl-C stops everything/, 30_000);
  assert.ok(first.lines.some((l) => /curl -i -X POST http:\/\/127\.0\.0\.1:\d+\/v1\/inventory -H 'Authorization: Bearer dev-/.test(l)), "prints a curl that can be pasted");
  const services = serviceChildren(first.proc.pid!);
  assert.deepEqual([...services.keys()].sort(), ["inventory", "pricing"]);
  first.proc.kill("SIGINT");
  const stopped = await first.exited;
  assert.equal(stopped.code, 0, `signal ${stopped.signal}: ${first.lines.slice(-10).join("\n")}`);
  for (const pid of services.values()) assert.equal(alive(pid), false);

  const second = startChild(args, {});
  await second.waitFor(/Ctrl-C stops everything/, 30_000);
  const again = serviceChildren(second.proc.pid!);
  process.kill(again.get("pricing")!, "SIGKILL");
  const crashed = await second.exited;
  assert.equal(crashed.code, 1);
  assert.ok(second.lines.some((l) => l.includes("pricing exited unexpectedly") && l.includes("SIGKILL")), second.lines.slice(-10).join("\n"));
  // The CLI stops the other service before it exits; its pid may take a moment to be reaped.
  await eventually(() => !alive(again.get("inventory")!), { timeoutMs: 5_000, intervalMs: 20 });
  assert.equal(alive(again.get("inventory")!), false, "the other service is stopped too");
});
