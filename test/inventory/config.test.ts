import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadAuth, parseTokens } from "../../src/inventory/auth.ts";
import { INVENTORY_ENV, loadInventoryConfig } from "../../src/inventory/config.ts";
import { ConfigError } from "../../src/shared/errors.ts";

const BASE = { AWS_REGION: "eu-west-1", AUTH_TOKENS: "token-0123456789abcdef" };

test("defaults apply when only the required variables are set", () => {
  const c = loadInventoryConfig(BASE);
  assert.equal(c.PORT, 8080);
  assert.equal(c.QUEUE_NAME, "inventory-update-queue");
  assert.equal(c.QUEUE_URL, undefined);
  assert.equal(c.BATCH_LINGER_MS, 5);
  assert.equal(c.LOG_LEVEL, "info");
  assert.equal(c.AUTH_DISABLED, false);
});

const bad: Array<[Record<string, string>, string, RegExp]> = [
  [{ PORT: "abc" }, "PORT", /integer 0-65535/],
  [{ PORT: "70000" }, "PORT", /integer 0-65535/],
  [{ PORT: "80.5" }, "PORT", /integer 0-65535/],
  [{ BATCH_LINGER_MS: "-1" }, "BATCH_LINGER_MS", /integer 0-1000/],
  [{ MAX_PENDING_UPDATES: "5" }, "MAX_PENDING_UPDATES", /integer 10-1000000/],
  [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL", /debug \| info \| warn \| error/],
  [{ AUTH_DISABLED: "yes" }, "AUTH_DISABLED", /true or false/],
  [{ QUEUE_URL: "not a url" }, "QUEUE_URL", /http\(s\) URL/],
  [{ QUEUE_URL: "ftp://x/y" }, "QUEUE_URL", /http\(s\) URL/],
  [{ AWS_ENDPOINT_URL_SQS: "localhost:4566" }, "AWS_ENDPOINT_URL_SQS", /http\(s\) URL/],
  [{ QUEUE_NAME: "bad name!" }, "QUEUE_NAME", /A-Z a-z 0-9/],
  [{ AWS_REGION: "" }, "AWS_REGION", /required/],
  [{ AWS_REGION: "Europe" }, "AWS_REGION", /AWS region/],
];
for (const [override, variable, allowed] of bad) {
  test(`${variable}=${JSON.stringify(Object.values(override)[0])} is refused naming the variable and what is allowed`, () => {
    assert.throws(
      () => loadInventoryConfig({ ...BASE, ...override }),
      (err: unknown) => err instanceof ConfigError && err.variable === variable && allowed.test(err.message) && err.message.startsWith(variable),
    );
  });
}

test("several bad variables are reported together", () => {
  assert.throws(
    () => loadInventoryConfig({ ...BASE, PORT: "x", LOG_LEVEL: "loud" }),
    (err: unknown) => err instanceof ConfigError && /PORT/.test(err.message) && /LOG_LEVEL/.test(err.message),
  );
});

test("every variable is documented with allowed values and a description", () => {
  for (const [name, v] of Object.entries(INVENTORY_ENV)) {
    assert.ok(v.doc.description.length > 10, name);
    assert.ok(v.doc.allowed.length > 2, name);
  }
  assert.deepEqual(
    Object.entries(INVENTORY_ENV).filter(([, v]) => v.doc.required).map(([n]) => n),
    ["AWS_REGION"],
  );
});

test("no token and auth not disabled: refuses to start", () => {
  assert.throws(() => loadAuth({ AUTH_DISABLED: false }), (e: unknown) => e instanceof ConfigError && /AUTH_DISABLED=true/.test(e.message));
  assert.equal(loadAuth({ AUTH_DISABLED: true }).check(undefined), true);
});

test("a weak token is refused without echoing it", () => {
  assert.throws(
    () => parseTokens("short-secret", "AUTH_TOKENS"),
    (e: unknown) => e instanceof ConfigError && e.variable === "AUTH_TOKENS" && !e.message.includes("short-secret"),
  );
});

test("tokens from the variable and a mounted file both work; comments and blanks are ignored", () => {
  const dir = mkdtempSync(join(tmpdir(), "tokens-"));
  const file = join(dir, "tokens");
  writeFileSync(file, "# rotated 2026-11\nfile-token-aaaaaaaaaaaaaaaa\n\nfile-token-bbbbbbbbbbbbbbbb\n");
  const auth = loadAuth({ AUTH_TOKENS: "env-token-cccccccccccccccc", AUTH_TOKENS_FILE: file, AUTH_DISABLED: false });
  assert.equal(auth.size, 3);
  for (const t of ["env-token-cccccccccccccccc", "file-token-aaaaaaaaaaaaaaaa", "file-token-bbbbbbbbbbbbbbbb"]) {
    assert.equal(auth.check(`Bearer ${t}`), true, t);
  }
  for (const h of [undefined, "", "Bearer", "Bearer file-token-aaaaaaaaaaaaaaa", "Basic file-token-aaaaaaaaaaaaaaaa", "Bearer file-token-aaaaaaaaaaaaaaaa x"]) {
    assert.equal(auth.check(h), false, String(h));
  }
  assert.throws(() => loadAuth({ AUTH_TOKENS_FILE: join(dir, "missing"), AUTH_DISABLED: false }), (e: unknown) => e instanceof ConfigError && e.variable === "AUTH_TOKENS_FILE");
});
