// npm run bench:client: the SQS client alone, per call, in one process:
// SendMessageBatch of 10 one-update messages through the SDK's node:http
// handler and through undici, each with the MD5 check on and off,
// interleaved over rounds. CPU from process.cpuUsage(); the stub runs in its
// own process. Writes bench/results/client.md and .json.

import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { inventoryUpdatedEvent, batchBody, BATCH_ATTRIBUTES } from "../src/shared/events.ts";
import { startChild } from "../scripts/lib/process.ts";
import { fmt, median, ROOT, spread } from "./measure.ts";
import { UndiciHttpHandler } from "./undici-handler.ts";

const { values: args } = parseArgs({ options: { rounds: { type: "string", default: "5" }, calls: { type: "string", default: "1200" } } });
const ROUNDS = Math.max(1, Number(args.rounds));
const CALLS = Math.max(80, Number(args.calls));

const stub = startChild([join(ROOT, "bench", "sqs-server.ts")], {});
const url = `http://127.0.0.1:${JSON.parse(await stub.waitFor(/"port"/)).port}`;
const client = (undici: boolean, md5: boolean) =>
  new SQSClient({ region: "us-east-1", endpoint: url, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1, cacheMiddleware: true, ...(md5 ? {} : { md5: false }), ...(undici ? { requestHandler: new UndiciHttpHandler() } : {}) });
const VARIANTS = {
  default: { label: "SDK's node:http handler", sqs: client(false, true) },
  noMd5: { label: "SDK's handler, MD5 check off", sqs: client(false, false) },
  undici: { label: "undici Pool", sqs: client(true, true) },
  undiciNoMd5: { label: "undici Pool, MD5 check off", sqs: client(true, false) },
};
type Variant = keyof typeof VARIANTS;
const body = batchBody([JSON.stringify(inventoryUpdatedEvent({ sku: "ABC-1", quantity: 3, version: 1 }, "u-1", "r-1", new Date().toISOString()))]);

/** CPU us per call for `n` calls, 8 in flight (as the publisher keeps several calls going). */
async function run(sqs: SQSClient, n: number): Promise<number> {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i += 8) {
    await Promise.all(Array.from({ length: 8 }, () => sqs.send(new SendMessageBatchCommand({ QueueUrl: `${url}/000000000000/q`, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: body, MessageAttributes: BATCH_ATTRIBUTES })) }))));
  }
  const d = process.cpuUsage(t);
  return (d.user + d.system) / n;
}

try {
  for (const v of Object.values(VARIANTS)) await run(v.sqs, 200); // warm up
  const res = Object.fromEntries(Object.keys(VARIANTS).map((k) => [k, [] as number[]])) as Record<Variant, number[]>;
  for (let r = 0; r < ROUNDS; r++) {
    for (const k of Object.keys(VARIANTS) as Variant[]) res[k].push(await run(VARIANTS[k].sqs, CALLS));
    process.stdout.write(`round ${r + 1}/${ROUNDS}: ${Object.entries(res).map(([k, xs]) => `${k} ${fmt(xs[r])} us`).join(", ")}\n`);
  }
  const rel = (k: Variant) => res[k].map((x, i) => x / res.default[i]);
  const md = [
    `# SQS client CPU per call`,
    ``,
    `Measured ${new Date().toISOString().slice(0, 10)}: ${ROUNDS} interleaved rounds of ${CALLS} SendMessageBatch calls (10 one-update messages each, 8 in flight) against the local stub; client process CPU only. Median (per-round range).`,
    ``,
    `| variant | CPU us per call | vs the SDK's handler |`,
    `| --- | ---: | ---: |`,
    ...(Object.keys(VARIANTS) as Variant[]).map((k) => `| ${VARIANTS[k].label} | ${spread(res[k], 0)} | ${k === "default" ? "-" : `${spread(rel(k))}x`} |`),
    ``,
    `Per update, a call's cost divides by the updates it carries: with packing, inventory makes a few hundredths of a call per update (see latest.md), so a per-call saving moves CPU per update by that fraction only.`,
    ``,
  ].join("\n");
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "results", "client.md"), md);
  writeFileSync(join(ROOT, "bench", "results", "client.json"), JSON.stringify({ rounds: ROUNDS, calls: CALLS, usPerCall: res, median: Object.fromEntries(Object.entries(res).map(([k, xs]) => [k, median(xs)])) }, null, 2));
  process.stdout.write(`\n${md}`);
} finally {
  for (const v of Object.values(VARIANTS)) v.sqs.destroy();
  await stub.stop();
}
