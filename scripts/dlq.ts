// The DLQ's way back, for the on-call (the DLQ alarm's runbook line):
//
//   npm run dlq -- --env dev peek [--max 10] [--bytes 200]   look, leave the messages there
//   npm run dlq -- --env dev redrive [--max-rate 10]         move them back to inventory-update-queue
//   npm run dlq -- --env dev status [--timeout 600]          follow the move task to its end
//
// Fix the cause first (a bad policy, a producer bug, pricing's role): a
// message redriven into the same fault comes back after maxReceiveCount.
// Credentials: the on-call role (modules/queue grants it exactly these calls).
// The region is live/<env>/region.hcl's; AWS_ENDPOINT_URL_SQS points it at an
// emulator. Exit 0 when done, 1 when AWS refuses, 2 on a usage error.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { QUEUE_NAMES } from "../src/shared/names.ts";
import { createSqsClient, type SqsPort } from "../src/shared/sqs.ts";
import { peek, redrive, resolveQueues, status } from "./dlq/ops.ts";

const ROOT = join(import.meta.dirname, "..");
const ENVS = ["dev", "prod"];
const USAGE = "usage: npm run dlq -- --env dev|prod peek [--max N] [--bytes N] | redrive [--max-rate N] | status [--timeout S]";

class Usage extends Error {}

function int(name: string, raw: string | undefined, def: number | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Usage(`--${name} must be an integer ${min}-${max}, got "${raw}"`);
  return n;
}

export async function run(argv: string[], sqsFor: (region: string) => SqsPort, out: (line: string) => void, env = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { env: { type: "string" }, max: { type: "string" }, bytes: { type: "string" }, "max-rate": { type: "string" }, timeout: { type: "string" }, every: { type: "string" } },
  });
  if (!values.env || !ENVS.includes(values.env)) throw new Usage(`--env must be one of ${ENVS.join(" | ")}, got "${values.env ?? ""}"`);
  const command = positionals[0];
  if (positionals.length !== 1 || !["peek", "redrive", "status"].includes(command)) throw new Usage(`one command: peek, redrive or status, got "${positionals.join(" ")}"`);
  const region = env.AWS_REGION ?? /aws_region\s*=\s*"([^"]+)"/.exec(readFileSync(join(ROOT, "live", values.env, "region.hcl"), "utf8"))?.[1] ?? "";
  const sqs = sqsFor(region);
  const q = await resolveQueues(sqs, QUEUE_NAMES.inventoryDlq, QUEUE_NAMES.inventory);
  if (command === "peek") {
    const found = await peek(sqs, q.dlqUrl, int("max", values.max, 10, 1, 100)!, int("bytes", values.bytes, 200, 0, 4096)!);
    out(`${found.length} message(s) in ${QUEUE_NAMES.inventoryDlq} looked at and left there:`);
    for (const m of found) {
      out(`- ${m.id}  receives ${m.receives}  sent ${m.sentAt ?? "?"}${m.from ? `  from ${m.from}` : ""}`);
      out(`  why: ${m.why}`);
      if (Object.keys(m.attributes).length) out(`  attributes: ${JSON.stringify(m.attributes)}`);
      out(`  body (${m.bodyBytes} bytes): ${m.preview}`);
    }
    return 0;
  }
  if (command === "redrive") {
    const rate = int("max-rate", values["max-rate"], undefined, 1, 500);
    const handle = await redrive(sqs, q, rate);
    out(`move task started: ${q.dlqArn} -> ${q.sourceArn}${rate ? ` at most ${rate}/s` : ""} (handle ${handle}); follow it with: npm run dlq -- --env ${values.env} status`);
    return 0;
  }
  const timeoutMs = int("timeout", values.timeout, 600, 0, 86_400)! * 1000;
  const task = await status(sqs, q.dlqArn, {
    timeoutMs,
    everyMs: int("every", values.every, 10, 1, 300)! * 1000,
    onUpdate: (t) => out(`${t.Status}: ${t.ApproximateNumberOfMessagesMoved ?? 0} of ${t.ApproximateNumberOfMessagesToMove ?? "?"} moved${t.FailureReason ? `; ${t.FailureReason}` : ""}`),
  });
  if (!task) out(`no move task on ${q.dlqArn}`);
  return task?.Status === "FAILED" ? 1 : 0;
}

async function main(): Promise<number> {
  const endpoint = process.env.AWS_ENDPOINT_URL_SQS;
  try {
    return await run(process.argv.slice(2), (region) => createSqsClient({ region, endpoint, maxAttempts: 3 }), (l) => console.log(l));
  } catch (err) {
    if (err instanceof Usage || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(err as Error).message} (${USAGE})`);
      return 2;
    }
    console.error(`dlq: ${(err as Error).name}: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.filename === process.argv[1]) process.exitCode = await main();
