// The README's benchmark figures are bench/results/latest.md, copied between
// two markers, so the README cannot show a figure the results file lacks; and
// docs/performance.md carries latest.md's curve, profile and targets the same way.
//   node bench/readme.ts           copy latest.md into README.md and docs/performance.md
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
  return between(readme, BEGIN, END, readmeSection(latest), "README.md");
}

/** docs/performance.md's measured part: the curve and profile sections of latest.md, as they are. */
export const PERF_BEGIN = "<!-- perf:begin (generated from bench/results/latest.md by node bench/readme.ts) -->";
export const PERF_END = "<!-- perf:end -->";

export function perfSection(latest: string): string {
  const sections = latest.split(/^(?=## )/m).filter((s) => /^## (Cost and latency|Where inventory's CPU goes|Targets)/.test(s));
  return sections
    .map((s) => s.trim().replace(/^## /, "### ").replace("](latest-curve.svg)", "](../bench/results/latest-curve.svg)"))
    .join("\n\n");
}

export function withPerfSection(page: string, latest: string): string {
  return between(page, PERF_BEGIN, PERF_END, perfSection(latest), "docs/performance.md");
}

function between(text: string, begin: string, end: string, body: string, name: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${name} has no generated-section markers`);
  return `${text.slice(0, start + begin.length)}\n\n${body}\n\n${text.slice(stop)}`;
}

if (import.meta.filename === process.argv[1]) {
  const latest = readFileSync(join(ROOT, "bench", "results", "latest.md"), "utf8");
  const files = [
    { path: join(ROOT, "README.md"), update: (t: string) => withSection(t, latest) },
    { path: join(ROOT, "docs", "performance.md"), update: (t: string) => withPerfSection(t, latest) },
  ];
  for (const f of files) {
    const text = readFileSync(f.path, "utf8");
    const next = f.update(text);
    if (!process.argv.includes("--check")) writeFileSync(f.path, next);
    else if (next !== text) {
      process.stderr.write(`${f.path}: its benchmark section differs from bench/results/latest.md (run node bench/readme.ts)\n`);
      process.exitCode = 1;
    }
  }
}
