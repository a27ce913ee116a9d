// The logger's one key for errors: every log call in src/ passes an error as
// `err`, and the logger reduces it to name, code and message.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError } from "../../src/shared/errors.ts";
import { createLogger } from "../../src/shared/log.ts";

const SRC = join(import.meta.dirname, "..", "..", "src");

test("no log call in src/ passes an error under a key other than err", () => {
  const calls = /\blog\w*\.(debug|info|warn|error)\([^)]*\{[^}]*\b(error|e|exception|cause)\s*:/g;
  const offenders = readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => [...readFileSync(join(SRC, f), "utf8").matchAll(calls)].map((m) => `${f}: ${m[0]}`));
  assert.deepEqual(offenders, []);
});

test("an error logged under err keeps its name, code and message, and nothing else", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => void lines.push(l), clock: () => 0 });
  const err = Object.assign(new ConfigError("PORT", "must be 0-65535"), { stack: "secret stack" });
  log.error("config.invalid", { variable: "PORT", err });
  const record = JSON.parse(lines[0]);
  assert.equal(record.err.name, "ConfigError");
  assert.match(record.err.message, /PORT/);
  assert.equal(lines[0].includes("secret stack"), false);
});
