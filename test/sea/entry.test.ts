// The CommonJS entry of a single executable is the service entry itself,
// its top-level statements moved into an async main().

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cjsEntry, SEA_SERVICES } from "../../scripts/sea.ts";

test("imports stay at the top, top-level awaits move into main()", () => {
  const out = cjsEntry(`// story\nimport { a } from "./a.ts";\nimport {\n  b,\n  c,\n} from "./b.ts";\n\nconst x = await a();\nawait b(x);\n`, "svc");
  assert.ok(out.startsWith('import { a } from "./a.ts";\nimport {\n  b,\n  c,\n} from "./b.ts";\n'), out);
  const main = out.indexOf("async function main() {");
  assert.ok(main > out.lastIndexOf("import "), "no import after main() begins");
  assert.ok(out.indexOf("const x = await a();") > main && out.indexOf("await b(x);") > main);
  assert.match(out, /main\(\)\.catch\(/);
});

for (const name of SEA_SERVICES) {
  test(`src/${name}.ts has no top-level await left outside main()`, () => {
    const out = cjsEntry(readFileSync(join(import.meta.dirname, "..", "..", "src", `${name}.ts`), "utf8"), name);
    const before = out.slice(0, out.indexOf("async function main() {"));
    assert.doesNotMatch(before, /\bawait\b/);
    assert.match(out.slice(out.indexOf("async function main() {")), /await runService/);
  });
}
