// The local stack behind `npm start` (its command line is scripts/stack.ts):
// the whole system on one machine, no Docker, no AWS account.
//
// Starts the SQS emulator on 127.0.0.1, creates the queues (with the DLQ
// redrive the Terraform module sets), runs dist/inventory.mjs and
// dist/pricing.mjs as child processes with the example policy, prints how to
// use it, streams both services' logs, and runs the local alarm evaluator.
// stop() ends the services, then the alarms and the emulator; `crashed`
// resolves when a service dies on its own.

import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { createQueues, EMULATOR_REGION, startEmulator, type Emulator, type QueueSetup } from "./emulator.ts";
import { freePorts, type Child } from "./lib/process.ts";
import { ROOT, serviceEnv, serviceReady, spawnService, type Service } from "./lib/stack.ts";
import { formatLine } from "./pretty.ts";
import { startLocalAlarms, type LocalAlarms } from "./alarms/local.ts";
import { alarmLine } from "./alarms/options.ts";

export { ROOT };
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
  crashed: Promise<Crash>;
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

type Crash = { service: string; code: number | null; signal: string | null; lastError?: string };

export async function startStack(o: StackOptions): Promise<Stack> {
  await ensureFree(o.sqsPort, "the SQS emulator", "--sqs-port");
  await ensureFree(o.inventoryPort, "inventory", "--port");
  await ensureFree(o.pricingPort, "pricing", "--pricing-port");

  let emulator: Emulator;
  try {
    emulator = await startEmulator({ port: o.sqsPort, dataDir: o.dataDir });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError(o.sqsPort, "the SQS emulator", "--sqs-port");
    throw err;
  }
  // Chosen once the emulator holds its port, and together: ports picked one
  // by one before it started could come back as the emulator's own.
  const [freeA, freeB] = await freePorts(2);
  const inventoryPort = o.inventoryPort || freeA;
  const pricingPort = o.pricingPort || freeB;
  const queues = createQueues(emulator);
  const token = `dev-${randomBytes(18).toString("base64url")}`;
  const env = (service: Service, port: number, extra: Record<string, string> = {}) =>
    serviceEnv(service, { endpoint: emulator.endpoint, queues, token, port, logLevel: o.logLevel, policyFile: o.policyFile }, extra);
  const services: Array<{ name: Service; env: Record<string, string> }> = [
    { name: "inventory", env: env("inventory", inventoryPort) },
    // Short long polls: a stop waits for the polls in flight, so Ctrl-C returns in about 2 s.
    { name: "pricing", env: env("pricing", pricingPort, { RECEIVE_WAIT_S: "2" }) },
  ];

  const children = new Map<Service, Child>();
  const lastError = new Map<string, string>();
  let stopping = false;
  let reportCrash!: (c: Crash) => void;
  const crashed = new Promise<Crash>((r) => (reportCrash = r));

  const launch = (s: (typeof services)[number]) => {
    const child = spawnService(s.name, s.env, {
      nodeArgs: ["--enable-source-maps"],
      // Own process group: a terminal's Ctrl-C reaches only the stack, which
      // then stops each service once, gracefully, in order.
      detached: true,
      onLine: (line, fromStderr) => {
        if (fromStderr || /"level":"error"/.test(line)) lastError.set(s.name, line);
        o.output(formatLine(s.name, line, o.raw));
      },
    });
    children.set(s.name, child);
    void child.exited.then((e) => {
      if (!stopping) reportCrash({ service: s.name, code: e.code, signal: e.signal, lastError: lastError.get(s.name) });
    });
  };
  const deferred = o.pricing === false ? services.filter((s) => s.name === "pricing") : [];
  const first = services.filter((s) => !deferred.includes(s));
  first.forEach(launch);

  // Should the stack itself die, its services do not outlive it.
  process.once("exit", () => {
    for (const child of children.values()) if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill("SIGKILL");
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
    await Promise.all([...children.values()].map((child) => child.stop("SIGTERM", 40_000)));
    await emulator.stop();
    if (o.stateFile) rmSync(o.stateFile, { force: true });
  }

  const ready = (list: typeof services) =>
    Promise.all(list.map((s) => serviceReady(children.get(s.name)!, s.name).catch((err: Error) => {
      throw new Error(`${err.message.split(";")[0]}${lastError.has(s.name) ? `: ${lastError.get(s.name)}` : ""}`);
    })));
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
