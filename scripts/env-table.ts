// Writes the configuration tables of docs/configuration.md from the services'
// own variable tables, so the documentation cannot drift from what the code reads.
//   node scripts/env-table.ts            rewrite the tables in docs/configuration.md
//   node scripts/env-table.ts --check    exit 1 when docs/configuration.md differs
//   node scripts/env-table.ts --print    print both tables with their markers

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { INVENTORY_ENV } from "../src/inventory/config.ts";
import { PRICING_ENV } from "../src/pricing/config.ts";
import { describeEnv, type Spec } from "../src/shared/config/parse.ts";

/** The page that holds the generated tables, relative to the repository root. */
export const CONFIG_PAGE = join("docs", "configuration.md");

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

/** The table between the page's markers for `name`, or undefined. */
export function markedTable(page: string, name: string): string | undefined {
  const start = page.indexOf(BEGIN(name));
  const end = page.indexOf(END(name));
  if (start < 0 || end < start) return undefined;
  return page.slice(start + BEGIN(name).length, end).trim();
}

/** The page with every table between its markers replaced by `tables`; throws when a marker pair is missing. */
export function withTables(page: string, tables: Record<string, string>): string {
  let out = page;
  for (const [name, t] of Object.entries(tables)) {
    const start = out.indexOf(BEGIN(name));
    const end = out.indexOf(END(name));
    if (start < 0 || end < start) throw new Error(`${CONFIG_PAGE} has no ${BEGIN(name)} ... ${END(name)} markers`);
    out = `${out.slice(0, start + BEGIN(name).length)}\n${t}\n${out.slice(end)}`;
  }
  return out;
}

if (import.meta.filename === process.argv[1]) {
  const tables = envTables();
  const path = join(import.meta.dirname, "..", CONFIG_PAGE);
  if (process.argv.includes("--print")) {
    for (const [name, t] of Object.entries(tables)) process.stdout.write(`${BEGIN(name)}\n${t}\n${END(name)}\n\n`);
  } else {
    const page = readFileSync(path, "utf8");
    let next: string;
    try {
      next = withTables(page, tables);
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    }
    if (!process.argv.includes("--check")) {
      if (next !== page) writeFileSync(path, next);
    } else if (next !== page) {
      const stale = (Object.keys(tables) as Array<keyof typeof tables>).filter((n) => markedTable(page, n) !== tables[n]);
      process.stderr.write(`${CONFIG_PAGE}: configuration tables out of date: ${stale.join(", ")} (run node scripts/env-table.ts)\n`);
      process.exit(1);
    }
  }
}
