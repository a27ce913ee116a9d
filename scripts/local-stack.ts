// The local stack behind `npm start` (its command line is scripts/stack.ts):
// the whole system on one machine, no Docker, no AWS account.
//
// Starts the SQS emulator on 127.0.0.1, creates the queues (with the DLQ
// redrive the Terraform module sets), runs dist/inventory.mjs and
// dist/pricing.mjs as child processes with the example policy, prints how to
// use it, streams both services' logs, and runs the local alarm evaluator.
// stop() ends the services, then the alarms and the emulator; `crashed`
// resolves when a service dies on its own.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createQueues, EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulator, type Emulator, type QueueSetup } from "./emulator.ts";
import { freePort } from "./lib/process.ts";
import { formatLine } from "./pretty.ts";
import { startLocalAlarms, type LocalAlarms } from "./alarms/local.ts";
import { alarmLine } from "./alarms/options.ts";

export const ROOT = resolve(import.meta.dirname, "..");
/** Where a running stack leaves its address and token for `npm run send`. */
export const STATE_FILE = join(ROOT, ".stack", "stack.json");

export interface StackOptions {
  sqsPort: number;
  inventoryPort: number;
  pricingPort: number;
  dataDir?: string;
  policyFile: string;
  /** Receives every output line, already formatted. */
  output: (line: string) => void;
  raw: boolean;
  logLevel?: string;
  /** Where to leave the address and token for `npm run send`; none when unset. */
  stateFile?: string;
  /** false: pricing is not started (the backlog grows); start it later with startPricing(). */
  pricing?: boolean;
  /** The alarms of modules/alarms, evaluated locally; false turns them off. */
  alarms?: false | { periodS?: number; webhookUrl?: string };
}

export interface StackState {
  inventoryUrl: string;
  pricingUrl: string;
  sqsEndpoint: string;
  region: string;
  token: string;
  queues: QueueSetup;
  /** The alarms' SNS topic and the SQS queue subscribed to it. */
  alarms?: { topicArn: string; inboxUrl: string; periodS: number };
}

export interface Stack extends StackState {
  /** Resolves when a service exits without being asked to: its name and exit code. */
  crashed: Promise<{ service: string; code: number | null; signal: string | null; lastError?: string }>;
  /** Starts pricing when the stack was started without it; resolves when it is ready. */
  startPricing(): Promise<void>;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  readonly port: number;
  readonly option: string;
  constructor(port: number, what: string, option: string) {
    super(`port ${port} (${what}) is already in use; choose another with ${option} N`);
    this.port = port;
    this.option = option;
  }
}

async function ensureFree(port: number, what: string, option: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((ok, fail) => {
      probe.once("error", fail);
      probe.listen(port, "127.0.0.1", () => ok());
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError(port, what, option);
    throw err;
  } finally {
    if (probe.listening) await new Promise((r) => probe.close(r));
  }
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} while starting`);
  throw new Error(`not ready after ${timeoutMs} ms (${url}/readyz)`);
}

export async function startStack(o: StackOptions): Promise<Stack> {
  await ensureFree(o.sqsPort, "the SQS emulator", "--sqs-port");
  await ensureFree(o.inventoryPort, "inventory", "--port");
  await ensureFree(o.pricingPort, "pricing", "--pricing-port");
  const inventoryPort = o.inventoryPort || (await freePort());
  const pricingPort = o.pricingPort || (await freePort());

  let emulator: Emulator;
  try {
    emulator = await startEmulator({ port: o.sqsPort, dataDir: o.dataDir });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError(o.sqsPort, "the SQS emulator", "--sqs-port");
    throw err;
  }
  const queues = createQueues(emulator);
  const token = `dev-${randomBytes(18).toString("base64url")}`;
  const common = {
    PATH: process.env.PATH ?? "",
    ...EMULATOR_CREDENTIALS,
    AWS_REGION: EMULATOR_REGION,
    AWS_ENDPOINT_URL_SQS: emulator.endpoint,
    HOST: "127.0.0.1",
    LOG_LEVEL: o.logLevel ?? "info",
  };
  const services: Array<{ name: string; env: Record<string, string>; port: number }> = [
    { name: "inventory", port: inventoryPort, env: { ...common, PORT: String(inventoryPort), QUEUE_URL: queues.inventoryUrl, AUTH_TOKENS: token } },
    {
      name: "pricing",
      port: pricingPort,
      // Short long polls: a stop waits for the polls in flight, so Ctrl-C returns in about 2 s.
      env: { ...common, PORT: String(pricingPort), QUEUE_URL: queues.inventoryUrl, PRICE_QUEUE_URL: queues.priceUrl, POLICY_FILE: o.policyFile, RECEIVE_WAIT_S: "2" },
    },
  ];

  const children = new Map<string, ChildProcess>();
  const lastError = new Map<string, string>();
  let stopping = false;
  let reportCrash!: (c: { service: string; code: number | null; signal: string | null; lastError?: string }) => void;
  const crashed = new Promise<{ service: string; code: number | null; signal: string | null; lastError?: string }>((r) => (reportCrash = r));

  const launch = (s: (typeof services)[number]) => {
    const child = spawn(process.execPath, ["--enable-source-maps", join(ROOT, "dist", `${s.name}.mjs`)], {
      cwd: ROOT,
      env: s.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Own process group: a terminal's Ctrl-C reaches only the stack, which
      // then stops each service once, gracefully, in order.
      detached: true,
    });
    children.set(s.name, child);
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        buffer += chunk;
        let i;
        while ((i = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          if (/"level":"error"/.test(line) || stream === child.stderr) lastError.set(s.name, line);
          o.output(formatLine(s.name, line, o.raw));
        }
      });
    }
    child.on("exit", (code, signal) => {
      if (!stopping) reportCrash({ service: s.name, code, signal, lastError: lastError.get(s.name) });
    });
  };
  const deferred = o.pricing === false ? services.filter((s) => s.name === "pricing") : [];
  const first = services.filter((s) => !deferred.includes(s));
  first.forEach(launch);

  // Should the stack itself die, its services do not outlive it.
  process.once("exit", () => {
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  let alarms: LocalAlarms | undefined;
  const state: StackState = {
    inventoryUrl: `http://127.0.0.1:${inventoryPort}`,
    pricingUrl: `http://127.0.0.1:${pricingPort}`,
    sqsEndpoint: emulator.endpoint,
    region: EMULATOR_REGION,
    token,
    queues,
  };

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    await alarms?.stop();
    await Promise.all(
      [...children.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await emulator.stop();
    if (o.stateFile) rmSync(o.stateFile, { force: true });
  }

  const ready = (list: typeof services) =>
    Promise.race([
      Promise.all(list.map((s) => waitReady(`http://127.0.0.1:${s.port}`, children.get(s.name)!, 30_000).catch((err: Error) => {
        throw new Error(`${s.name} ${err.message}${lastError.has(s.name) ? `: ${lastError.get(s.name)}` : ""}`);
      }))),
      crashed.then((c) => {
        throw new Error(`${c.service} exited with code ${c.code} while starting${c.lastError ? `: ${c.lastError}` : ""}`);
      }),
    ]);
  try {
    await ready(first);
    if (o.alarms !== false) {
      alarms = await startLocalAlarms({
        emulator,
        region: EMULATOR_REGION,
        periodS: o.alarms?.periodS,
        webhookUrl: o.alarms?.webhookUrl,
        output: (line, standout) => o.output(alarmLine(line, standout)),
      });
      state.alarms = { topicArn: alarms.topicArn, inboxUrl: alarms.inboxUrl, periodS: alarms.periodS };
    }
  } catch (err) {
    await stop();
    throw err;
  }
  if (o.stateFile) {
    mkdirSync(dirname(o.stateFile), { recursive: true });
    writeFileSync(o.stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  }
  async function startPricing(): Promise<void> {
    const pending = deferred.splice(0);
    pending.forEach(launch);
    await ready(pending);
  }
  return { ...state, crashed, startPricing, stop };
}
