// docs/performance.md carries the curve, profile and targets sections of
// bench/results/latest.md, copied between two markers, so the page cannot show
// a figure the results file lacks; everything else it links to latest.md.
//   node bench/readme.ts           copy latest.md's sections into docs/performance.md
//   node bench/readme.ts --check   exit 1 when they differ

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
export const PERF_PAGE = join("docs", "performance.md");
export const PERF_BEGIN = "<!-- perf:begin (generated from bench/results/latest.md by node bench/readme.ts) -->";
export const PERF_END = "<!-- perf:end -->";

/** docs/performance.md's measured part: the curve, profile and targets sections of latest.md, as they are. */
export function perfSection(latest: string): string {
  const sections = latest.split(/^(?=## )/m).filter((s) => /^## (Cost and latency|Where inventory's CPU goes|Targets)/.test(s));
  return sections
    .map((s) => s.trim().replace(/^## /, "### ").replace("](latest-curve.svg)", "](../bench/results/latest-curve.svg)"))
    .join("\n\n");
}

export function withPerfSection(page: string, latest: string): string {
  const start = page.indexOf(PERF_BEGIN);
  const stop = page.indexOf(PERF_END);
  if (start < 0 || stop < start) throw new Error(`${PERF_PAGE} has no generated-section markers`);
  return `${page.slice(0, start + PERF_BEGIN.length)}\n\n${perfSection(latest)}\n\n${page.slice(stop)}`;
}

/** Rewrites docs/performance.md's measured part from `latest` (latest.md's text). */
export function writePerfPage(latest: string): void {
  const path = join(ROOT, PERF_PAGE);
  writeFileSync(path, withPerfSection(readFileSync(path, "utf8"), latest));
}

if (import.meta.filename === process.argv[1]) {
  const latest = readFileSync(join(ROOT, "bench", "results", "latest.md"), "utf8");
  const page = readFileSync(join(ROOT, PERF_PAGE), "utf8");
  const next = withPerfSection(page, latest);
  if (!process.argv.includes("--check")) writeFileSync(join(ROOT, PERF_PAGE), next);
  else if (next !== page) {
    process.stderr.write(`${PERF_PAGE}: its benchmark section differs from bench/results/latest.md (run node bench/readme.ts)\n`);
    process.exitCode = 1;
  }
}
