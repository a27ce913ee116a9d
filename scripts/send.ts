// `npm run send -- --sku ABC-1 --quantity 3`: posts one stock update to the
// running local stack and prints the price decision when it arrives.
//
// Locally nothing else consumes price-change-queue, so this command stands in
// for the downstream consumer: it reads the decisions there and removes what
// it reads, printing its own.

import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { request } from "undici";
import { readPriceDecisions } from "../src/shared/events.ts";
import { STATE_FILE, type StackState } from "./stack.ts";

const USAGE = `Usage: npm run send -- --sku SKU --quantity N [--version N] [--warehouse W] [--timeout SECONDS]`;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${currency}`;
}

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({
      options: {
        sku: { type: "string" },
        quantity: { type: "string" },
        version: { type: "string" },
        warehouse: { type: "string" },
        timeout: { type: "string", default: "10" },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (!values.sku || values.quantity === undefined) fail(`--sku and --quantity are required\n${USAGE}`, 2);
  const int = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) fail(`${flag} must be a whole number, got "${v}"`, 2);
    return Number(v);
  };
  const update = { sku: values.sku, quantity: int(values.quantity, "--quantity"), version: int(values.version, "--version"), warehouse: values.warehouse };
  const timeoutS = int(values.timeout, "--timeout") ?? 10;

  let state: StackState;
  try {
    state = JSON.parse(readFileSync(STATE_FILE, "utf8"));
  } catch {
    fail("no running local stack found: start it with `npm start` in another terminal");
  }

  // undici's request(), the HTTP client of the project's tools and tests.
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(`${state.inventoryUrl}/v1/inventory`, {
      method: "POST",
      headers: { authorization: `Bearer ${state.token}`, "content-type": "application/json" },
      body: JSON.stringify(update),
    });
  } catch {
    fail(`cannot reach inventory at ${state.inventoryUrl}: is \`npm start\` still running?`);
  }
  const answer = (await res.body.json()) as { ids?: string[]; error?: { code: string; message: string; field?: string } };
  if (res.statusCode !== 202 || !answer.ids) {
    fail(`inventory answered ${res.statusCode}: ${answer.error?.code} ${answer.error?.field ? `(${answer.error.field}) ` : ""}${answer.error?.message ?? ""}`);
  }
  const id = answer.ids[0];
  process.stdout.write(`accepted ${update.sku} quantity=${update.quantity} (id ${id}); waiting for the price decision...\n`);

  const sqs = new SQSClient({
    region: state.region,
    endpoint: state.sqsEndpoint,
    useQueueUrlAsEndpoint: false,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const deadline = Date.now() + timeoutS * 1000;
  try {
    while (Date.now() < deadline) {
      const wait = Math.max(1, Math.min(5, Math.ceil((deadline - Date.now()) / 1000)));
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: state.queues.priceUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: wait }));
      const messages = out.Messages ?? [];
      if (messages.length === 0) continue;
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: state.queues.priceUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      for (const d of messages.flatMap((m) => readPriceDecisions(m.Body ?? ""))) {
        if (d.updateId !== id) continue;
        const before = d.previousPrice === null ? "(no earlier price)" : formatMoney(d.previousPrice, d.currency);
        process.stdout.write(`price ${d.sku} v${d.version}: ${before} -> ${formatMoney(d.price, d.currency)}  rule ${d.rule}\n`);
        return;
      }
    }
  } finally {
    sqs.destroy();
  }
  fail(`no price decision within ${timeoutS} s. Pricing decides nothing for a SKU its policy does not know (log: price.unknown_sku) or for an older version (price.stale); see the pricing log.`);
}

await main();
