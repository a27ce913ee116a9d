// `npm run send -- --sku ABC-1 --quantity 3`: posts one stock update to the
// running local stack and prints the price decision when it arrives.
//
// Locally nothing else consumes price-change-queue, so this command stands in
// for the downstream consumer: it reads the decisions there and removes what
// it reads, printing its own.
//
// `--count N` sends N updates instead, one request at a time (each its own
// SQS message), and does not wait for decisions: it is how the backlog alarm
// is tried (`npm start -- --no-pricing`, then `npm run send -- --count 60`).
// The updates are for --sku (default ABC-1) with --quantity (default 3).

import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { request } from "undici";
import { emulatorClient } from "./emulator.ts";
import { readPriceDecisions } from "./price-decisions.ts";
import { STATE_FILE, type StackState } from "./local-stack.ts";

const USAGE = `Usage: npm run send -- --sku SKU --quantity N [--version N] [--warehouse W] [--timeout SECONDS]
       npm run send -- --count N [--sku SKU] [--quantity N]     (N updates, one request each, no waiting)
       --state FILE   the running stack's state file (default .stack/stack.json)`;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${currency}`;
}

/** POSTs one update; the id inventory gave it. Exits non-zero on anything but 202. */
async function post(state: StackState, update: Record<string, unknown>): Promise<string> {
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
  return answer.ids[0];
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
        count: { type: "string" },
        state: { type: "string" },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const int = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) fail(`${flag} must be a whole number, got "${v}"`, 2);
    return Number(v);
  };
  const count = int(values.count, "--count");
  if (count !== undefined && (count < 1 || count > 10_000)) fail(`--count must be from 1 to 10000, got "${values.count}"`, 2);
  if (count !== undefined) {
    values.sku ??= "ABC-1";
    values.quantity ??= "3";
  }
  if (!values.sku || values.quantity === undefined) fail(`--sku and --quantity are required\n${USAGE}`, 2);
  const update = { sku: values.sku, quantity: int(values.quantity, "--quantity"), version: int(values.version, "--version"), warehouse: values.warehouse };
  const timeoutS = int(values.timeout, "--timeout") ?? 10;

  let state: StackState;
  try {
    state = JSON.parse(readFileSync(values.state ?? STATE_FILE, "utf8"));
  } catch {
    fail("no running local stack found: start it with `npm start` in another terminal");
  }

  if (count !== undefined) {
    const started = Date.now();
    for (let i = 0; i < count; i++) {
      const v = update.version === undefined ? undefined : update.version + i;
      await post(state, { ...update, version: v });
    }
    process.stdout.write(`accepted ${count} updates of ${update.sku} in ${((Date.now() - started) / 1000).toFixed(1)} s (one request each)\n`);
    return;
  }
  const id = await post(state, update);
  process.stdout.write(`accepted ${update.sku} quantity=${update.quantity} (id ${id}); waiting for the price decision...\n`);

  const sqs = emulatorClient(state.sqsEndpoint, state.region);
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
