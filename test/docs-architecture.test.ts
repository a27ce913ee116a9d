// docs/architecture.md names files a newcomer opens: each one must exist, so
// a rename or a move breaks this test instead of leaving the page stale.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const ROOT = join(import.meta.dirname, "..");
const doc = readFileSync(join(ROOT, "docs", "architecture.md"), "utf8");

/** Every `path/with/slash.ext` or `dir/` in backticks. */
function namedPaths(text: string): string[] {
  const paths = [...text.matchAll(/`([A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*\/(?:[A-Za-z0-9._-]+\.[a-z]+)?)`/g)].map((m) => m[1]);
  return [...new Set(paths)];
}

test("every file and folder docs/architecture.md names exists", () => {
  const paths = namedPaths(doc);
  assert.ok(paths.length >= 25, `found ${paths.length} paths`);
  assert.deepEqual(paths.filter((p) => !existsSync(join(ROOT, p))), []);
});

test("the path reader catches a file that does not exist", () => {
  const paths = namedPaths("see `src/shared/nowhere.ts` and `bench/` and `src/inventory.ts`");
  assert.deepEqual(paths, ["src/shared/nowhere.ts", "bench/", "src/inventory.ts"]);
  assert.deepEqual(paths.filter((p) => !existsSync(join(ROOT, p))), ["src/shared/nowhere.ts"]);
});

test("the architecture page stays one page", () => {
  assert.ok(doc.split("\n").length <= 100, "docs/architecture.md over 100 lines");
});
