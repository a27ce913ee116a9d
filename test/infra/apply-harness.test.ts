// The apply tier's harness (test/helpers/apply.ts, moto.ts), checked without
// running it: what it hands terraform and when it skips. The tier itself
// is `npm run test:apply`.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { LEFT_OUT } from "../apply/left-out.ts";
import { motoProviderBlock, SERVICES } from "../helpers/apply.ts";
import { blocksOf, readModule } from "../helpers/hcl.ts";
import { ROOT } from "../helpers/infra-checks.ts";
import { motoUnavailable, pinnedMoto } from "../helpers/moto.ts";
import { providerSource } from "../helpers/terraform.ts";
import { resolveUnits } from "../helpers/terragrunt.ts";

test("moto missing is a reason to skip that names it: no such python, or a python without moto", () => {
  assert.match(motoUnavailable({ ...process.env, APPLY_PYTHON: "/nonexistent/python3" }) ?? "", /\/nonexistent\/python3 is not installed here/);
  // A program in which `import moto` fails (exit status 1), as a python without moto does.
  assert.match(motoUnavailable({ ...process.env, APPLY_PYTHON: "false" }) ?? "", /moto is not installed in false \(import moto failed/);
  assert.match(pinnedMoto(), /^\d+\.\d+\.\d+$/);
});

test("neither mirror nor registry: the reason names both", () => {
  const r = providerSource({ TF_PLUGIN_MIRROR: "/nonexistent", TF_REGISTRY_PROBE: "unreachable" });
  assert.ok("reason" in r);
  assert.match(r.reason, /no provider mirror at TF_PLUGIN_MIRROR=\/nonexistent/);
  assert.match(r.reason, /registry\.terraform\.io cannot be reached/);
});

test("the provider pointed at moto keeps root.hcl's block (allowed_account_ids included) and routes every service", () => {
  const block = motoProviderBlock('provider "aws" {\n  region              = "eu-west-1"\n  allowed_account_ids = ["111111111111"]\n}\n', "111111111111", "http://127.0.0.1:5555");
  assert.match(block, /allowed_account_ids = \["111111111111"\]/);
  assert.match(block, /access_key\s+= "AKIA111111111111MOTO"/);
  for (const s of SERVICES) assert.match(block, new RegExp(`^\\s+${s}\\s+= "http://127.0.0.1:5555"$`, "m"));
});

test("with real outputs a unit gets them instead of its mock_outputs; a dependency not applied is an error naming it", async () => {
  const outputs = new Map<string, Record<string, unknown>>([["dev/queue", { inventory_queue_name: "real-queue", dlq_name: "real-dlq", price_queue_name: "real-price" }]]);
  const alarms = (await resolveUnits(ROOT, outputs)).find((u) => u.id === "dev/alarms")!;
  assert.equal(alarms.error, undefined);
  assert.equal(alarms.values.queue_name, "real-queue");
  const eks = (await resolveUnits(ROOT, outputs)).find((u) => u.id === "dev/eks")!;
  assert.match(eks.error ?? "", /dependency "network": live\/dev\/network has no outputs/);
});

test("every resource the apply tier leaves out exists in its module (the table cannot name a resource that is not there)", async () => {
  for (const [module, list] of Object.entries(LEFT_OUT)) {
    const m = await readModule(ROOT, module);
    for (const { resource } of list) {
      const [type, name] = resource.split(".");
      assert.ok(blocksOf(m, "resource", type)[name], `${join("modules", module)} has no ${resource}`);
    }
  }
});
