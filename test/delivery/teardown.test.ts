// The teardown refuses prod unless the guard variable says so in as many
// words; dev goes through. Run through the real CLI (--dry-run).

import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";
import { join } from "node:path";
import { test } from "node:test";
import { PROD_GUARD, teardownPlan } from "../../scripts/teardown.ts";
import { ROOT } from "../helpers/manifests.ts";

const teardown = (args: string[], env: Record<string, string> = {}) => cli("teardown.ts", [...args, "--dry-run"], { env });

test("dev tears down: terragrunt run --all destroy in live/dev", () => {
  const r = teardown(["--env", "dev"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${join(ROOT, "live", "dev")}: terragrunt run --all destroy`);
});

test("prod is refused without the guard, naming it", () => {
  const r = teardown(["--env", "prod"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`refusing to destroy prod: set ${PROD_GUARD.name}=${PROD_GUARD.value}`));
  assert.equal(r.stdout, "");
});

test("prod is refused with a guard that is merely set", () => {
  for (const value of ["1", "true", "yes", `${PROD_GUARD.value} `]) {
    assert.match(teardownPlan(["--env", "prod"], { [PROD_GUARD.name]: value }).refused ?? "", /refusing to destroy prod/, value);
  }
});

test("prod goes through only with the exact guard value", () => {
  const r = teardown(["--env", "prod"], { [PROD_GUARD.name]: PROD_GUARD.value });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /live\/prod: terragrunt run --all destroy/);
});

test("a missing or unknown environment is refused", () => {
  assert.equal(teardown([]).code, 2);
  assert.match(teardown(["--env", "staging"]).stderr, /--env must be one of dev \| prod, got "staging"/);
});
