// `npm start`: the command line of the local stack (scripts/local-stack.ts).
// Parses the flags, starts the stack, prints how to use it, and streams the
// services' logs. Ctrl-C stops everything and exits 0; a service that dies on
// its own stops the rest and exits 1; a bad flag exits 2.

import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { K8S } from "../src/shared/names.ts";
import { parseAlarmPeriod, parseWebhookUrl } from "./alarms/options.ts";
import { ROOT, startStack, STATE_FILE, type Stack, type StackState } from "./local-stack.ts";

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
