// The teardown refuses prod unless the guard variable says so in as many
// words; dev goes through. Run through the real CLI (--dry-run).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { PROD_GUARD, teardownPlan } from "../../scripts/teardown.ts";
import { ROOT } from "./support.ts";

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "teardown.ts"), ...args, "--dry-run"], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("dev tears down: terragrunt run --all destroy in live/dev", () => {
  const r = cli(["--env", "dev"]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), `${join(ROOT, "live", "dev")}: terragrunt run --all destroy`);
});

test("prod is refused without the guard, naming it", () => {
  const r = cli(["--env", "prod"]);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`refusing to destroy prod: set ${PROD_GUARD.name}=${PROD_GUARD.value}`));
  assert.equal(r.out, "");
});

test("prod is refused with a guard that is merely set", () => {
  for (const value of ["1", "true", "yes", `${PROD_GUARD.value} `]) {
    assert.match(teardownPlan(["--env", "prod"], { [PROD_GUARD.name]: value }).refused ?? "", /refusing to destroy prod/, value);
  }
});

test("prod goes through only with the exact guard value", () => {
  const r = cli(["--env", "prod"], { [PROD_GUARD.name]: PROD_GUARD.value });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /live\/prod: terragrunt run --all destroy/);
});

test("a missing or unknown environment is refused", () => {
  assert.equal(cli([]).code, 2);
  assert.match(cli(["--env", "staging"]).err, /--env must be one of dev \| prod, got "staging"/);
});
