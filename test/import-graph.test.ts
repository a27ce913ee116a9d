// No circle of imports in src/, scripts/ or bench/: the graph is built from
// each file's import and re-export statements (type-only ones included: a
// circle of types is still a circle of files), and every cycle is named.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

const ROOT = join(import.meta.dirname, "..");
const DIRS = ["src", "scripts", "bench"];

/** Relative specifiers of every static import, re-export and literal dynamic import. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found = [
    ...code.matchAll(/(?:^|[;\n])\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["']([^"']+)["']/g),
    ...code.matchAll(/(?:^|[;\n])\s*import\s*["']([^"']+)["']/g),
    ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1]);
  return found.filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** file (relative to root) -> the files it imports, within the graph. */
export function importGraph(root: string, dirs: string[]): Map<string, string[]> {
  const files = dirs.flatMap((d) =>
    readdirSync(join(root, d), { recursive: true, encoding: "utf8" }).filter((f) => /\.(ts|mjs)$/.test(f) && !f.endsWith(".d.ts")).map((f) => join(d, f)),
  );
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importSpecifiers(readFileSync(join(root, file), "utf8"))
      .map((s) => relative(root, resolve(root, dirname(file), s)))
      .filter((t) => existsSync(join(root, t)));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every elementary cycle found by a depth-first walk, each once, as a path that returns to its start. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join("|");
        if (!cycles.has(key)) cycles.set(key, [...cycle, next]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

test("the import reader sees multi-line, type-only, re-export, side-effect and dynamic imports", () => {
  const src = [
    'import {\n  a,\n  type B,\n} from "./a.ts";',
    'import type { C } from "../c.ts";',
    'export { d } from "./d.ts";',
    'import "./e.ts";',
    'const f = await import("./f.ts");',
    'import { readFileSync } from "node:fs";',
    '// import { g } from "./commented.ts";',
  ].join("\n");
  assert.deepEqual(importSpecifiers(src).sort(), ["../c.ts", "./a.ts", "./d.ts", "./e.ts", "./f.ts"]);
});

test("the cycle finder names a circle through three files and passes a graph without one", () => {
  const circle = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]);
  assert.deepEqual(findCycles(circle), [["a.ts", "b.ts", "c.ts", "a.ts"]]);
  assert.deepEqual(findCycles(new Map([["a.ts", ["b.ts", "c.ts"]], ["b.ts", ["c.ts"]], ["c.ts", []]])), []);
});

test(`no import circle in ${DIRS.join("/, ")}/`, () => {
  const graph = importGraph(ROOT, DIRS);
  assert.ok(graph.size > 50, `read ${graph.size} files`);
  const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
  assert.ok(edges > 100, `found ${edges} imports between them`);
  const cycles = findCycles(graph);
  assert.deepEqual(cycles.map((c) => c.join(" -> ")), [], `import circles:\n${cycles.map((c) => `  ${c.join(" -> ")}`).join("\n")}`);
});
