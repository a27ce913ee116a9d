// npm run preflight against a stand-in `aws` on PATH (as the promote test
// does): the repository as shipped lists every placeholder with file and
// line and exits 1; a filled-in copy passes only when the account, the roles,
// the state bucket and the tokens secret are as the stand-in reports them.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { ROOT } from "../helpers/manifests.ts";

const tmp = mkdtempSync(join(tmpdir(), "preflight-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const DEV = "210987654321";
const PROD = "345678901234";

/** A stand-in aws: answers from FAKE_* variables like the real CLI (exit 254 and an error on stderr when refused). */
const bin = join(tmp, "bin");
mkdirSync(bin);
writeFileSync(join(bin, "aws"), `#!/bin/bash
echo "$*" >> "$FAKE_LOG"
case "$1 $2" in
  "sts get-caller-identity") printf '{"Account":"%s","Arn":"%s"}' "$FAKE_ACCOUNT" "$FAKE_ARN" ;;
  "iam get-role")
    for r in $FAKE_ROLES; do [ "$r" = "$4" ] && { echo '{"Role":{}}'; exit 0; }; done
    echo "An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name $4 cannot be found." >&2; exit 254 ;;
  "s3api head-bucket")
    case "$FAKE_BUCKET" in
      ours) exit 0 ;;
      free) echo "An error occurred (404) when calling the HeadBucket operation: Not Found" >&2; exit 254 ;;
      *) echo "An error occurred (403) when calling the HeadBucket operation: Forbidden" >&2; exit 254 ;;
    esac ;;
  "secretsmanager describe-secret")
    [ "$FAKE_SECRET" = missing ] && { echo "An error occurred (ResourceNotFoundException) when calling the DescribeSecret operation: Secrets Manager can't find the specified secret." >&2; exit 254; }
    echo '{}' ;;
  "secretsmanager get-secret-value")
    [ "$FAKE_SECRET" = set ] && { printf 'token-aaaaaaaaaaaaaaaa\\ntoken-bbbbbbbbbbbbbbbb\\n'; exit 0; }
    echo "None" ;;
  *) echo "stand-in aws: unexpected $*" >&2; exit 2 ;;
esac
`);
chmodSync(join(bin, "aws"), 0o755);

interface Fake {
  account: string;
  arn: string;
  roles: string;
  bucket: "ours" | "free" | "theirs";
  secret: "missing" | "empty" | "set";
}

function preflight(root: string, env: string, fake: Fake): { code: number | null; out: string; calls: string[] } {
  const log = join(tmp, `calls-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, "");
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "preflight.ts"), "--env", env, "--root", root], {
    encoding: "utf8",
    env: { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, FAKE_LOG: log, FAKE_ACCOUNT: fake.account, FAKE_ARN: fake.arn, FAKE_ROLES: fake.roles, FAKE_BUCKET: fake.bucket, FAKE_SECRET: fake.secret },
  });
  return { code: r.status, out: r.stdout + r.stderr, calls: readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

/** A copy of live/ with every example value replaced, as an engineer would fill it in. */
function filledCopy(): string {
  const root = join(tmp, "filled");
  cpSync(join(ROOT, "live"), join(root, "live"), { recursive: true });
  const edit = (file: string, f: (s: string) => string) => writeFileSync(join(root, file), f(readFileSync(join(root, file), "utf8")));
  for (const env of ["dev", "prod"]) {
    edit(`live/${env}/account.hcl`, (s) => s.replace("111111111111", DEV).replace("222222222222", PROD));
    edit(`live/${env}/env.hcl`, (s) => s.replaceAll("111111111111", DEV).replaceAll("222222222222", PROD).replace('"example/stockprice"', '"acme/stockprice"').replaceAll("@example.com", "@acme.io").replace('certificate_arn = ""', `certificate_arn = "arn:aws:acm:eu-west-1:${env === "dev" ? DEV : PROD}:certificate/0f1e2d3c"`));
  }
  edit("live/dev/env.hcl", (s) => s.replace("203.0.113.0/24", "81.2.69.0/24"));
  edit("live/prod/policy.yaml", (s) => s.replace(/\s*# example SKU.*$/gm, ""));
  return root;
}

const GOOD_DEV: Fake = { account: DEV, arn: `arn:aws:sts::${DEV}:assumed-role/terraform-apply/alice`, roles: "platform-admin oncall-readonly", bucket: "free", secret: "missing" };

describe("npm run preflight", () => {
  test("the repository as shipped: every placeholder of prod with file and line, exit 1", () => {
    const r = preflight(ROOT, "prod", { ...GOOD_DEV, account: PROD });
    assert.equal(r.code, 1, r.out);
    const source = readFileSync(join(ROOT, "live", "prod", "env.hcl"), "utf8").split("\n").findIndex((l) => l.includes("replication_source_accounts")) + 1;
    for (const where of ["live/prod/account.hcl:3", "live/prod/env.hcl:4", "live/prod/env.hcl:9", `live/prod/env.hcl:${source}`, "live/prod/policy.yaml:15"]) {
      assert.match(r.out, new RegExp(`FILL  ${where.replace(/[.]/g, "\\.")}: `), `${where} not reported:\n${r.out}`);
    }
    assert.match(r.out, /live\/prod\/account\.hcl:3: account_id is 222222222222, but the credentials are account 345678901234/);
  });

  test("dev as shipped names the documentation range and the example admin role", () => {
    const r = preflight(ROOT, "dev", GOOD_DEV);
    assert.equal(r.code, 1);
    const line = readFileSync(join(ROOT, "live", "dev", "env.hcl"), "utf8").split("\n").findIndex((l) => l.includes("203.0.113.0/24")) + 1;
    assert.ok(line > 0, "dev's env.hcl ships the documentation range");
    assert.match(r.out, new RegExp(`FILL  live/dev/env\\.hcl:${line}: documentation address range 203\\.0\\.113\\.0/24`));
    assert.match(r.out, /FILL  live\/dev\/env\.hcl:\d+: example AWS account 111111111111/);
  });

  test("a filled-in copy with existing roles, a free bucket and no secret yet passes (exit 0)", () => {
    const root = filledCopy();
    const r = preflight(root, "dev", GOOD_DEV);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /state bucket stockprice-tfstate-210987654321-eu-west-1 is free/);
    assert.ok(r.calls.includes("iam get-role --role-name platform-admin --output json"), r.calls.join("\n"));
    const prod = preflight(root, "prod", { ...GOOD_DEV, account: PROD, arn: `arn:aws:sts::${PROD}:assumed-role/terraform-apply/alice`, bucket: "ours", secret: "set" });
    assert.equal(prod.code, 0, prod.out);
    assert.match(prod.out, /holds 2 token\(s\)/);
    assert.doesNotMatch(prod.out, /token-aaaa/, "a token is never printed");
  });

  const cases: Array<[string, Partial<Fake>, RegExp]> = [
    ["another account's credentials", { account: PROD }, /live\/dev\/account\.hcl:3: account_id is 210987654321, but the credentials are account 345678901234/],
    ["a missing on-call role", { roles: "platform-admin" }, /live\/dev\/env\.hcl:\d+: role arn:aws:iam::210987654321:role\/oncall-readonly does not exist/],
    ["the state bucket name taken by another account", { bucket: "theirs" }, /state bucket stockprice-tfstate-210987654321-eu-west-1 belongs to another account/],
    ["an empty tokens secret", { secret: "empty" }, /the inventory tokens secret is empty/],
    ["the apply role is an admin entry", { arn: `arn:aws:sts::${DEV}:assumed-role/platform-admin/alice` }, /is the role running this check: apply with a role outside admin_role_arns/],
    ["the apply role is an on-call entry", { arn: `arn:aws:sts::${DEV}:assumed-role/oncall-readonly/alice` }, /oncall-readonly is the role running this check: apply with a role outside oncall_role_arns/],
  ];
  for (const [name, change, expected] of cases) {
    test(`a filled-in copy fails on ${name}`, () => {
      const r = preflight(filledCopy(), "dev", { ...GOOD_DEV, ...change });
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, expected);
    });
  }

  test("a bad --env is a usage error (exit 2)", () => {
    const r = preflight(ROOT, "staging", GOOD_DEV);
    assert.equal(r.code, 2);
    assert.match(r.out, /--env must be one of dev \| prod, got "staging"/);
  });
});
