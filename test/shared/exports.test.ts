// No unused export: every name a src/ file exports is named by some other file
// of the repository's TypeScript (src/, scripts/, bench/, test/).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const ROOT = join(import.meta.dirname, "..", "..");
const DECLARED = /^export (?:async )?(?:function|const|class|interface|type|let)\s+(\w+)/gm;

test("every export of src/ is used outside its own file", () => {
  const files = ["src", "scripts", "bench", "test"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(dir, f)),
  );
  const text = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), "utf8")]));
  const unused: string[] = [];
  for (const f of files.filter((f) => f.startsWith("src"))) {
    for (const [, name] of text.get(f)!.matchAll(DECLARED)) {
      const word = new RegExp(`\\b${name}\\b`);
      if (!files.some((g) => g !== f && word.test(text.get(g)!))) unused.push(`${f}: ${name}`);
    }
  }
  assert.ok(files.length > 50, `found ${files.length} files`);
  assert.deepEqual(unused, [], "exported but named nowhere else: drop the export or the code");
});
