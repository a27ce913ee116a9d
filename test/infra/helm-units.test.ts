// Prod's Helm units and their way in: the modules that configure the helm
// provider look nothing up by name (a plan on an empty account uses the eks
// unit's mock outputs), take endpoint and CA from the eks unit, and connect
// through api_tunnel when it is set, checking the certificate against the
// endpoint's name. Both connect through modules/cluster-connection, which
// Terraform itself evaluates (it needs no provider); the deploy guide's
// commands are checked against it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { blocksOf, readModule, readUnits } from "../helpers/hcl.ts";
import { ROOT } from "../helpers/infra-checks.ts";
import { terraformVersion } from "../helpers/terraform.ts";

const HELM_MODULES = ["controllers-release", "lb-controller-release"];
const ENDPOINT = "https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com";

/** The module both Helm modules call to know where their provider connects. */
const CONNECTION = "cluster-connection";
/** Valid values for its required variables, so `terraform console` can evaluate the locals. */
const REQUIRED: Record<string, string> = {
  cluster_endpoint: ENDPOINT,
  cluster_ca_data: Buffer.from("ca").toString("base64"),
};

/** Evaluates [local.api_host, local.tls_server_name] in a copy of modules/cluster-connection (no provider needed). */
function connection(vars: Record<string, string>): [string, string | null] {
  const dir = mkdtempSync(join(tmpdir(), "helm-conn-"));
  try {
    for (const f of ["variables.tf", "main.tf"]) copyFileSync(join(ROOT, "modules", CONNECTION, f), join(dir, f));
    const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
    const args = Object.entries(vars).flatMap(([k, v]) => ["-var", `${k}=${v}`]);
    const r = spawnSync("terraform", ["console", ...args], { cwd: dir, env, input: "jsonencode([local.api_host, local.tls_server_name])\n", encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(JSON.parse(r.stdout.trim())) as [string, string | null];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("prod's Helm units have a way in", () => {
  test("the helm modules look no cluster up by name; their units take endpoint and CA from the eks unit", async () => {
    for (const name of HELM_MODULES) {
      const m = await readModule(ROOT, name);
      assert.deepEqual(Object.keys(blocksOf(m, "data", "aws_eks_cluster")), [], `${name}: data "aws_eks_cluster" fails a plan on the mock cluster name`);
      const provider = m.blocks.flatMap((b) => (b.provider?.helm ?? []) as Array<Record<string, any>>)[0];
      const k8s = Array.isArray(provider.kubernetes) ? provider.kubernetes[0] : provider.kubernetes;
      assert.deepEqual([k8s.host, k8s.tls_server_name, k8s.cluster_ca_certificate], ["${module.connection.host}", "${module.connection.tls_server_name}", "${module.connection.cluster_ca_certificate}"], name);
      const call = m.blocks.flatMap((b) => (b.module?.connection ?? []) as Array<Record<string, any>>)[0];
      assert.ok(call, `${name}: no module "connection"`);
      assert.equal(call.source, `../${CONNECTION}`, name);
      for (const v of ["cluster_endpoint", "cluster_ca_data", "api_tunnel"]) assert.equal(call[v], `\${var.${v}}`, `${name}: ${v} passed through to modules/${CONNECTION}`);
    }
    const units = (await readUnits(ROOT)).filter((u) => HELM_MODULES.includes(u.module));
    assert.equal(units.length, 4);
    for (const u of units) {
      assert.equal(u.inputs.cluster_endpoint, "${dependency.eks.outputs.cluster_endpoint}", `${u.env}/${u.name}`);
      assert.equal(u.inputs.cluster_ca_data, "${dependency.eks.outputs.cluster_ca_data}", `${u.env}/${u.name}`);
      const eks = u.dependencies.find((d) => d.name === "eks")!;
      assert.ok(eks.mockOutputs?.cluster_endpoint && eks.mockOutputs?.cluster_ca_data, `${u.env}/${u.name}: mock outputs for a plan before the cluster exists`);
    }
  });

  test(`modules/${CONNECTION} evaluated by Terraform, directly and through the tunnel`, async (t) => {
    if (!terraformVersion()) return t.skip("terraform is not installed here");
    assert.deepEqual(connection(REQUIRED), [ENDPOINT, null], "no tunnel: straight to the endpoint");
    assert.deepEqual(connection({ ...REQUIRED, api_tunnel: "https://127.0.0.1:8443" }), ["https://127.0.0.1:8443", "ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com"], "through the tunnel, the certificate checked against the endpoint's name");
  });

  test("the deploy guide's procedure forwards the port api_tunnel names and applies exactly the Helm units", async () => {
    const doc = readFileSync(join(ROOT, "docs", "deploy-aws.md"), "utf8");
    const section = /## Prod's Helm units\n([\s\S]*?)\n## /.exec(doc)?.[1];
    assert.ok(section, "docs/deploy-aws.md has a \"Prod's Helm units\" section");
    const port = /localPortNumber=(\d+)/.exec(section)?.[1];
    assert.match(section, new RegExp(`export TF_VAR_api_tunnel=https://127\\.0\\.0\\.1:${port}\\b`));
    const variable = (await readModule(ROOT, "controllers-release")).variables.api_tunnel;
    assert.ok(variable, "the variable the guide exports exists");
    const excluded = [...section.matchAll(/--queue-exclude-dir (\S+)/g)].map((m) => m[1]).sort();
    const applied = [...section.matchAll(/\(cd (\S+) && terragrunt apply\)/g)].map((m) => m[1]).sort();
    const units = [...new Set((await readUnits(ROOT)).filter((u) => HELM_MODULES.includes(u.module)).map((u) => u.name))].sort();
    assert.deepEqual(excluded, units, "the first run leaves out every Helm unit");
    assert.deepEqual(applied, units, "the tunnelled run applies every Helm unit");
  });
});
