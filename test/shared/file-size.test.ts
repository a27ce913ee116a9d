// Files that do one thing: every TypeScript file under src/, scripts/ and
// bench/ stays under 300 lines, or says at its top why it is longer.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const ROOT = join(import.meta.dirname, "..", "..");
const LIMIT = 300;

test(`every .ts file under src/, scripts/ and bench/ is at most ${LIMIT} lines or gives its reason in its first lines`, () => {
  const files = ["src", "scripts", "bench"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f)),
  );
  assert.ok(files.length > 50, `found ${files.length} files`);
  const long = files.filter((f) => {
    const lines = readFileSync(join(ROOT, f), "utf8").split("\n");
    return lines.length > LIMIT && !/over 300 lines because/i.test(lines.slice(0, 10).join("\n"));
  });
  assert.deepEqual(long, [], `files over ${LIMIT} lines without "over 300 lines because" in their first 10 lines`);
});
