// Prints the README configuration tables from the services' own variable
// tables, so the documentation cannot drift from what the code reads.
//   node scripts/env-table.ts            print both tables
//   node scripts/env-table.ts --check    exit 1 when README.md differs

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { INVENTORY_ENV } from "../src/inventory/config.ts";
import { PRICING_ENV } from "../src/pricing/config.ts";
import { describeEnv, type Spec } from "../src/shared/config/parse.ts";

function table(spec: Spec): string {
  const rows = describeEnv(spec).map((v) => {
    const def = v.required ? "**required**" : v.default === undefined ? "(unset)" : `\`${v.default}\``;
    return `| \`${v.name}\` | ${def} | ${v.allowed.replace(/\|/g, "\\|")} | ${v.description} |`;
  });
  return ["| Variable | Default | Allowed | Meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

export function envTables(): Record<"inventory" | "pricing", string> {
  return { inventory: table(INVENTORY_ENV), pricing: table(PRICING_ENV) };
}

const BEGIN = (name: string) => `<!-- env:${name}:begin -->`;
const END = (name: string) => `<!-- env:${name}:end -->`;

/** The table between the README's markers for `name`, or undefined. */
export function readmeTable(readme: string, name: string): string | undefined {
  const start = readme.indexOf(BEGIN(name));
  const end = readme.indexOf(END(name));
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + BEGIN(name).length, end).trim();
}

if (import.meta.filename === process.argv[1]) {
  const tables = envTables();
  if (process.argv.includes("--check")) {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const stale = (Object.keys(tables) as Array<keyof typeof tables>).filter((n) => readmeTable(readme, n) !== tables[n]);
    if (stale.length) {
      process.stderr.write(`README.md configuration tables out of date: ${stale.join(", ")} (run node scripts/env-table.ts and paste)\n`);
      process.exit(1);
    }
  } else {
    for (const [name, t] of Object.entries(tables)) process.stdout.write(`${BEGIN(name)}\n${t}\n${END(name)}\n\n`);
  }
}
