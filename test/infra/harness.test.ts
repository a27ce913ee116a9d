// The plan harness itself: what it generates, what it skips and why. The
// parts that need no terraform run always; the one that runs the harness on
// a made-up repository needs the mirror (and is skipped without it).

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { findMirror, initArgs, providerSource, providersNeeded, runInfra, terraformUnavailable, withSource } from "../helpers/terraform.ts";
import { hcl, offlineProviderBlock } from "../helpers/tftest-files.ts";
import { unitsMatching } from "./plan-checks/types.ts";

const tmp = mkdtempSync(join(tmpdir(), "harness-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(tmp, path, ".."), { recursive: true });
  writeFileSync(join(tmp, path), text);
}

test("a missing mirror is a reason to skip, naming where it looked", () => {
  const r = findMirror({ TF_PLUGIN_MIRROR: "/nonexistent" });
  assert.ok("reason" in r && r.reason.includes("TF_PLUGIN_MIRROR=/nonexistent"));
});

test("unit patterns: env/unit with * for either part", () => {
  const ids = ["dev/alarms", "prod/alarms", "prod/eks", "dev/lb/controller"];
  assert.deepEqual(unitsMatching("*/alarms", ids), ["dev/alarms", "prod/alarms"]);
  assert.deepEqual(unitsMatching("prod/*", ids), ["prod/alarms", "prod/eks"]);
  assert.deepEqual(unitsMatching("dev/lb/controller", ids), ["dev/lb/controller"]);
});

test("inputs become HCL literals; template markers in strings stay literal", () => {
  assert.equal(hcl("a${b}%{c}"), '"a$${b}%%{c}"');
  assert.equal(hcl({ k: [1, true, null] }), '{\n  "k" = [\n    1,\n    true,\n    null,\n  ]\n}');
});

test("merge() of a local object and an object literal with a dependency output, as the pipeline unit passes its ingress", async () => {
  const { evaluate } = await import("../helpers/terragrunt.ts");
  const ctx = { local: { env: { ingress: { scheme: "internal", hostname: "" } } }, dependency: { edge: { outputs: { web_acl_arn: "arn:acl" } } } };
  assert.deepEqual(evaluate("${merge(local.env.ingress, { waf_acl_arn = dependency.edge.outputs.web_acl_arn, hostname = \"api\" })}", ctx), { scheme: "internal", hostname: "api", waf_acl_arn: "arn:acl" });
  assert.throws(() => evaluate("${merge(local.env.ingress, lookup(x))}", ctx), /cannot evaluate \$\{lookup\(x\)\} offline/);
  assert.throws(() => evaluate("${merge(local.env.ingress, dependency.edge.outputs.web_acl_arn)}", ctx), /merge\(\) takes objects/);
});

test("the generated provider gets the offline settings and loses allowed_account_ids", () => {
  const block = offlineProviderBlock('provider "aws" {\n  region              = "eu-west-1"\n  allowed_account_ids = ["111111111111"]\n}\n');
  assert.match(block, /skip_requesting_account_id\s+= true/);
  assert.match(block, /region\s+= "eu-west-1"/);
  assert.doesNotMatch(block, /allowed_account_ids/);
});

test("a module's providers: required_providers, and the provider of each resource type it does not declare", async () => {
  write("m/main.tf", 'resource "helm_release" "x" {}\ndata "aws_region" "current" {}\nterraform {\n  required_providers {\n    kubernetes = { source = "hashicorp/kubernetes" }\n  }\n}\n');
  assert.deepEqual([...(await providersNeeded(join(tmp, "m")))].sort(), [
    "registry.terraform.io/hashicorp/aws",
    "registry.terraform.io/hashicorp/helm",
    "registry.terraform.io/hashicorp/kubernetes",
  ]);
});

test("a unit whose module needs a provider the mirror lacks is skipped naming it, never passed", { skip: terraformUnavailable() }, async () => {
  const root = join(tmp, "repo");
  write("repo/modules/chart/main.tf", 'resource "helm_release" "this" {\n  name  = "x"\n  chart = "x"\n}\n');
  write("repo/live/root.hcl", 'locals {\n  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals\n}\n');
  write("repo/live/dev/env.hcl", 'locals {\n  env = "dev"\n}\n');
  write("repo/live/dev/chart/terragrunt.hcl", 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules/chart"\n}\n');
  const run = await runInfra(root, { envs: ["dev"] });
  const unit = run.units.get("dev/chart")!;
  assert.equal(unit.outcome.status, "skip");
  assert.match(unit.outcome.status === "skip" ? unit.outcome.reason : "", /registry\.terraform\.io\/hashicorp\/helm/);
  assert.equal(run.modules.get("chart")!.validate.status, "skip");
});

test("an expression the offline evaluation does not know fails that unit, naming it, and no other", async () => {
  const { resolveUnits } = await import("../helpers/terragrunt.ts");
  const root = join(tmp, "repo2");
  write("repo2/modules/m/main.tf", 'variable "x" {\n  type = string\n}\n');
  write("repo2/live/root.hcl", "");
  write("repo2/live/dev/a/terragrunt.hcl", 'terraform {\n  source = "../../../modules/m"\n}\n\ninputs = {\n  x = get_env("HOME")\n}\n');
  write("repo2/live/dev/b/terragrunt.hcl", 'terraform {\n  source = "../../../modules/m"\n}\n\ninputs = {\n  x = "fine"\n}\n');
  const units = await resolveUnits(root);
  assert.match(units.find((u) => u.id === "dev/a")!.error ?? "", /live\/dev\/a: cannot evaluate \$\{get_env\("HOME"\)\} offline/);
  assert.deepEqual(units.find((u) => u.id === "dev/b")!.values, { x: "fine" });
});

test("validation reports a broken module, and only that one", { skip: terraformUnavailable() }, async () => {
  const { validateModules } = await import("../helpers/terraform-validate.ts");
  const source = providerSource();
  assert.ok(!("reason" in source));
  write("repo3/modules/good/main.tf", 'variable "name" {\n  type = string\n}\n\noutput "name" {\n  value = var.name\n}\n');
  write("repo3/modules/bad/main.tf", 'output "name" {\n  value = var.undeclared\n}\n');
  const work = join(tmp, "work3");
  mkdirSync(work);
  write("terraformrc", "");
  const env = withSource({ ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: join(tmp, "terraformrc") }, source);
  const v = await validateModules(join(tmp, "repo3"), ["bad", "good"], work, env, initArgs(source));
  assert.deepEqual(v.get("good"), { status: "pass" });
  const bad = v.get("bad")!;
  assert.equal(bad.status, "fail");
  assert.match(bad.status === "fail" ? bad.detail : "", /undeclared input variable.*bad\/main\.tf:2/s);
});
