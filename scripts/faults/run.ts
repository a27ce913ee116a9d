// `npm run faults`: every fault scenario as real processes against the SQS
// emulator, one table row each; exits 1 when a promise is broken (an
// acknowledged update lost, a message left invisible, a scenario's own check).
//   npm run faults                      full run, table to bench/results/faults.md
//   npm run faults -- --short           the short versions (as in npm test)
//   npm run faults -- --only poison     scenarios whose name contains the text

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatTable, runScenario, type Row, type Scale } from "./scenario.ts";
import { ALL, BACKGROUND } from "./scenarios.ts";
import { DEFAULT_MAX_RECEIVE_COUNT } from "../../src/shared/names.ts";
import { ROOT, SUITE_MAX_RECEIVE } from "./stack.ts";

const { values } = parseArgs({ options: { short: { type: "boolean", default: false }, only: { type: "string" } } });
const scale: Scale = values.short ? "short" : "full";
const pick = (s: { name: string }) => !values.only || s.name.includes(values.only);

const started = Date.now();
// The poison scenario mostly waits out its backoff schedule: it runs beside the others.
const background = BACKGROUND.filter(pick).map((s) => runScenario(s, scale));
// Each scenario runs alone until it says its faults are over; the next starts while it settles.
const sequence: Array<Promise<Row>> = [];
for (const s of ALL.filter(pick)) {
  process.stderr.write(`faults: ${s.name}...\n`);
  let alone!: () => void;
  const aloneOver = new Promise<void>((resolve) => (alone = resolve));
  const running = runScenario(s, scale, alone).then((row) => {
    process.stderr.write(`faults: ${s.name}: ${row.failures.length ? `FAIL ${row.failures.join("; ")}` : "ok"}\n`);
    return row;
  });
  sequence.push(running);
  await Promise.race([aloneOver, running]);
}
const rows: Row[] = [...(await Promise.all(sequence)), ...(await Promise.all(background))];
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const table = formatTable(rows);
const failures = rows.flatMap((r) => r.failures.map((f) => `${r.scenario}: ${f}`));
process.stdout.write(`${table}\n\n${rows.length} scenarios in ${seconds} s (${scale}); ${failures.length ? `FAILED:\n${failures.join("\n")}` : "0 lost, 0 left invisible, every check held"}\n`);

if (scale === "full" && !values.only) {
  const md = [
    "# Fault suite: latest full run",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${process.platform}, Node ${process.version}) with \`npm run faults\` in ${seconds} s: the built bundles and the fauxqs emulator as separate processes, a bounded undici client. Pricing and the queue use a 10 s visibility timeout here and pricing a 1 s long poll; the redrive moves a message after ${SUITE_MAX_RECEIVE} receives (${DEFAULT_MAX_RECEIVE_COUNT} in production, where the backoff it spans is 13.5 minutes). Each scenario runs alone until its faults are over; the next one starts while it settles, and the poison scenario runs beside the others (it mostly waits out its backoff). "other answers" counts non-202 statuses and client errors by code; lost = answered 202, never decided on price-change-queue and not in the DLQ; duplicates = decided more than once (allowed by at-least-once delivery, counted).`,
    "",
    table,
    "",
    failures.length ? `Broken promises:\n\n${failures.map((f) => `- ${f}`).join("\n")}` : "Every scenario: 0 lost, 0 left invisible, and its own checks held.",
    "",
  ].join("\n");
  writeFileSync(join(ROOT, "bench", "results", "faults.md"), md);
}
process.exit(failures.length ? 1 : 0);
