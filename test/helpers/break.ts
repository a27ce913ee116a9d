// Breaking a copy of the repository in one place, for the tests that show a
// check failing (broken-copies.test.ts, broken-plans.test.ts).

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";

/** Replaces `from` in `file`; fails when there is nothing to replace, so a stale break never passes. */
export function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, "utf8");
  const next = text.replace(from, to);
  assert.notEqual(next, text, `the break did not apply to ${file}`);
  writeFileSync(file, next);
}
