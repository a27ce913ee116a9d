// Breaking a copy of the repository in one place, for the tests that show a
// check failing (broken-copies.test.ts, broken-plans.test.ts).

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Replaces `from` in `file`; fails when there is nothing to replace, so a stale break never passes. */
export function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, "utf8");
  const next = text.replace(from, to);
  assert.notEqual(next, text, `the break did not apply to ${file}`);
  writeFileSync(file, next);
}

/** Copies `dirs` of `root` to a temporary directory, breaks the copy, and asserts that `check` reports a problem there. */
export async function assertBreakReported(root: string, dirs: string[], name: string, breakIt: (dir: string) => void, check: (dir: string) => Promise<unknown[]> | unknown[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "broken-copy-"));
  try {
    for (const d of dirs) cpSync(join(root, d), join(dir, d), { recursive: true });
    breakIt(dir);
    const problems = await check(dir);
    assert.ok(problems.length > 0, `${name}: no problem reported`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
