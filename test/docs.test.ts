// The README is part of the product: its configuration tables come from the
// code, and it gives the two commands CI and people run.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { envTables, readmeTable } from "../scripts/env-table.ts";

const ROOT = join(import.meta.dirname, "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

test("README configuration tables list exactly what the services read", () => {
  for (const [name, table] of Object.entries(envTables())) {
    assert.equal(readmeTable(readme, name), table, `README ${name} table is stale: run node scripts/env-table.ts`);
  }
});

test("README gives the two commands, and CI runs the test command it gives", () => {
  assert.ok(readme.includes("npm ci && npm start"));
  assert.ok(readme.includes("npm ci && npm test"));
  const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  assert.match(ci, /^npm ci\b/m);
  assert.match(ci, /^npm test$/m);
});

test("README has no unfilled section placeholders", () => {
  assert.doesNotMatch(readme, /^[A-Z]+_SECTION$/m);
});
