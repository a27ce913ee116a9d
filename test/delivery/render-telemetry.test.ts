// npm run render -- telemetry (npm run render:telemetry): writes observability.yaml from the flags or the
// variables, and refuses a bad value with exit 2 naming the flag.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { cli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "render-telemetry-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const renderTelemetry = (args: string[], env: Record<string, string> = {}) => cli("render.ts", ["telemetry", ...args], { cwd: dir, env });

function objects(out: string): any[] {
  const docs = parseAllDocuments(readFileSync(join(out, "observability.yaml"), "utf8"), { version: "1.1" });
  assert.ok(Array.isArray(docs));
  return docs.map((d) => d.toJS());
}

test("writes observability.yaml with the role ARNs from the variables", () => {
  const out = join(dir, "a");
  const r = renderTelemetry(["--env", "prod", "--out", out], { AWS_REGION: "eu-central-1", COLLECTOR_ROLE_ARN: "arn:aws:iam::210987654321:role/c", FLUENT_BIT_ROLE_ARN: "arn:aws:iam::210987654321:role/f" });
  assert.equal(r.code, 0, r.stderr);
  const all = objects(out);
  assert.equal(all[0].kind, "Namespace");
  const sa = (name: string) => all.find((o) => o.kind === "ServiceAccount" && o.metadata.name === name).metadata.annotations["eks.amazonaws.com/role-arn"];
  assert.equal(sa("metrics-collector"), "arn:aws:iam::210987654321:role/c");
  assert.equal(sa("fluent-bit"), "arn:aws:iam::210987654321:role/f");
  const logging = all.find((o) => o.metadata.name === "aws-logging");
  assert.match(logging.data["output.conf"], /log_group_name \/stockprice-prod\/inventory\n/);
  assert.match(logging.data["output.conf"], /region eu-central-1\n/);
});

test("--pricing-capacity fargate leaves out the Spot nodes' Fluent Bit", () => {
  const out = join(dir, "b");
  assert.equal(renderTelemetry(["--env", "dev", "--pricing-capacity", "fargate", "--out", out]).code, 0);
  assert.equal(objects(out).some((o) => o.metadata.name === "fluent-bit"), false);
});

test("a bad value exits 2 naming the flag", () => {
  for (const [args, flag] of [
    [["--env", "staging"], "--env"],
    [["--env", "dev", "--collector-role-arn", "role/c"], "--collector-role-arn"],
    [["--env", "dev", "--region", "europe"], "--region"],
    [["--env", "dev", "--nope", "1"], "--nope"],
    [[], "--env"],
  ] as const) {
    const r = renderTelemetry([...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`render:telemetry: ${flag}`));
  }
});
