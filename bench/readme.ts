// The README's benchmark figures are bench/results/latest.md, copied between
// two markers, so the README cannot show a figure the results file lacks.
//   node bench/readme.ts           copy latest.md into README.md
//   node bench/readme.ts --check   exit 1 when they differ

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
export const BEGIN = "<!-- bench:begin (generated from bench/results/latest.md by node bench/readme.ts) -->";
export const END = "<!-- bench:end -->";

/** latest.md as a README subsection: its title dropped, headings two levels down. */
export function readmeSection(latest: string): string {
  return latest
    .replace(/^# .*\n+/, "")
    .replace(/^(#+) /gm, (_, h: string) => `${h}## `)
    .trim();
}

export function withSection(readme: string, latest: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error("README.md has no bench markers");
  return `${readme.slice(0, start + BEGIN.length)}\n\n${readmeSection(latest)}\n\n${readme.slice(end)}`;
}

if (import.meta.filename === process.argv[1]) {
  const readmePath = join(ROOT, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const next = withSection(readme, readFileSync(join(ROOT, "bench", "results", "latest.md"), "utf8"));
  if (process.argv.includes("--check")) {
    if (next !== readme) {
      process.stderr.write("README.md benchmark section differs from bench/results/latest.md (run node bench/readme.ts)\n");
      process.exit(1);
    }
  } else {
    writeFileSync(readmePath, next);
  }
}
