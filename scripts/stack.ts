// `npm start`: the whole system on one machine, no Docker, no AWS account.
//
// Starts the SQS emulator on 127.0.0.1, creates the queues (with the DLQ
// redrive the Terraform module sets), runs dist/inventory.mjs and
// dist/pricing.mjs as child processes with the example policy, prints how to
// use it, and streams both services' logs. Ctrl-C stops everything and exits
// 0; a service that dies on its own stops the rest and exits 1.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { K8S } from "../src/shared/names.ts";
import { createQueues, EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulator, type Emulator, type QueueSetup } from "./emulator.ts";
import { freePort } from "./lib/process.ts";
import { formatLine } from "./pretty.ts";
import { startLocalAlarms, type LocalAlarms } from "./alarms/local.ts";
import { alarmLine, parseAlarmPeriod, parseWebhookUrl } from "./alarms/options.ts";

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

/** With --no-pricing: "pricing" + Enter on the terminal starts it. */
function waitForPricingCommand(stack: Stack, out: (line: string) => void): void {
  out('  pricing is NOT running (--no-pricing): the backlog grows. Type "pricing" and Enter to start it.\n');
  const lines = createInterface({ input: process.stdin, terminal: false });
  lines.on("line", (line) => {
    if (line.trim() !== "pricing") return;
    lines.close();
    out("  starting pricing...");
    stack.startPricing().then(
      () => out("  pricing is running."),
      (err: Error) => out(`  pricing did not start: ${err.message}`),
    );
  });
}

function banner(s: StackState, dataDir?: string): string {
  const curl =
    `curl -i -X POST ${s.inventoryUrl}/v1/inventory -H 'Authorization: Bearer ${s.token}' ` +
    `-H 'Content-Type: application/json' -d '{"sku":"ABC-1","quantity":3}'`;
  return [
    "",
    "  Inventory & pricing is running locally.",
    "",
    `  inventory API     ${s.inventoryUrl}/v1/inventory   (OpenAPI: ${s.inventoryUrl}/openapi.json)`,
    `  dev token         ${s.token}`,
    `  pricing metrics   ${s.pricingUrl}/metrics`,
    `  SQS emulator      ${s.sqsEndpoint}   (${dataDir ? `state kept in ${dataDir}` : "state in memory"})`,
    ...(s.alarms ? [`  alarms            every ${s.alarms.periodS} s -> SNS ${s.alarms.topicArn}`, `                    -> SQS ${s.alarms.inboxUrl}`] : []),
    "",
    "  Try it (then watch pricing log price.changed below):",
    `    ${curl}`,
    "  or: npm run send -- --sku ABC-1 --quantity 3",
    "",
    "  Ctrl-C stops everything.",
    "",
  ].join("\n");
}

const USAGE = `Usage: npm start -- [options]
  --port N           inventory HTTP port (default ${K8S.inventory.port}; 0 = any free port)
  --pricing-port N   pricing health/metrics port (default ${K8S.pricing.port})
  --sqs-port N       SQS emulator port (default 4566)
  --data-dir DIR     keep the queues on disk in DIR (survive restarts); default in memory
  --policy FILE      pricing policy (default examples/policy.yaml)
  --log-level L      debug | info | warn | error (default info)
  --raw              print the services' raw JSON log lines
  --no-pricing       start without pricing, so the backlog grows (type "pricing" + Enter to start it)
  --alarm-period-s N evaluate the alarms every N s instead of the module's 60 (1-3600)
  --alarm-webhook URL  also POST each alarm notification to URL, as SNS posts to an HTTP subscriber
  -h, --help         this text`;

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new Error(`${flag} must be an integer 0-65535, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  let args;
  let alarmOptions: { periodS?: number; webhookUrl?: string } = {};
  try {
    args = parseArgs({
      options: {
        port: { type: "string" },
        "pricing-port": { type: "string" },
        "sqs-port": { type: "string" },
        "data-dir": { type: "string" },
        policy: { type: "string" },
        "log-level": { type: "string" },
        raw: { type: "boolean", default: false },
        pricing: { type: "boolean", default: true },
        "alarm-period-s": { type: "string" },
        "alarm-webhook": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowNegative: true,
    }).values;
    alarmOptions = { periodS: parseAlarmPeriod(args["alarm-period-s"]), webhookUrl: parseWebhookUrl(args["alarm-webhook"]) };
    if (args.help) {
      process.stdout.write(USAGE + "\n");
      return;
    }
    if (args["log-level"] && !["debug", "info", "warn", "error"].includes(args["log-level"])) {
      throw new Error(`--log-level must be one of debug | info | warn | error, got "${args["log-level"]}"`);
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const out = (line: string) => void process.stdout.write(line + "\n");
  // Signal handlers first: a Ctrl-C at any moment, even while starting, stops cleanly.
  let stack: Stack | undefined;
  let exiting = false;
  let interrupted: string | undefined;
  const shutdown = async (signal: string) => {
    if (!stack) {
      interrupted = signal; // still starting: stop as soon as there is something to stop
      return;
    }
    if (exiting) return;
    exiting = true;
    out(`\n  ${signal}: stopping the services, then the emulator...`);
    await stack.stop();
    out("  stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  try {
    stack = await startStack({
      inventoryPort: port(args.port, K8S.inventory.port, "--port"),
      pricingPort: port(args["pricing-port"], K8S.pricing.port, "--pricing-port"),
      sqsPort: port(args["sqs-port"], 4566, "--sqs-port"),
      dataDir: args["data-dir"] ? resolve(args["data-dir"]) : undefined,
      policyFile: resolve(args.policy ?? join(ROOT, "examples", "policy.yaml")),
      raw: args.raw ?? false,
      logLevel: args["log-level"],
      output: out,
      stateFile: STATE_FILE,
      pricing: args.pricing !== false,
      alarms: alarmOptions,
    });
  } catch (err) {
    process.stderr.write(`npm start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  if (interrupted) return shutdown(interrupted);
  out(banner(stack, args["data-dir"]));
  const running = stack;
  if (args.pricing === false) waitForPricingCommand(running, out);
  running.crashed.then(async (c) => {
    if (exiting) return;
    exiting = true;
    process.stderr.write(
      `\nnpm start: ${c.service} exited unexpectedly (${c.signal ? `signal ${c.signal}` : `exit code ${c.code}`})` +
        `${c.lastError ? `\n  last error: ${c.lastError}` : ""}\n  stopping the rest.\n`,
    );
    await running.stop();
    process.exit(1);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main();
}
