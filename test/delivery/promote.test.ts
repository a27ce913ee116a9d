// buildspec-promote.yml, prod's build step: it never builds (no docker at
// all), looks up the digests dev pushed for the commit, and renders prod with
// REPOSITORY@sha256:DIGEST. The lookup runs here in bash against a stand-in
// `aws` command that answers like `aws ecr describe-images --query`.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { renderManifests, resolveOptions } from "../../scripts/render.ts";
import { commands, readBuildspec, renderArgv, SAMPLE_ENV, scratchDir } from "../helpers/buildspec.ts";
import { clone, ROOT, type Obj } from "../helpers/manifests.ts";

const spec = readBuildspec("buildspec-promote.yml");
const tmp = scratchDir("promote-test-");

const PROD_ENV: Record<string, string> = {
  ...SAMPLE_ENV,
  DEPLOY_ENV: "prod",
  EKS_CLUSTER_NAME: "stockprice-prod",
  PRICING_POLICY: "live/prod/policy.yaml",
  INVENTORY_ROLE_ARN: "arn:aws:iam::210987654321:role/stockprice-prod-inventory",
  PRICING_ROLE_ARN: "arn:aws:iam::210987654321:role/stockprice-prod-pricing",
};
const DIGESTS: Record<string, string> = { "stockprice-inventory": `sha256:${"1".repeat(64)}`, "stockprice-pricing": `sha256:${"2".repeat(64)}` };

const BUILD_SPEC = readBuildspec("buildspec.yml");
const BUILD_RENDER = Object.keys(BUILD_SPEC.phases ?? {}).flatMap((p) => commands(BUILD_SPEC, p)).find((c) => c.startsWith("npm run render -- "));

/** Problems with the promotion buildspec; empty when it only promotes. */
export function promoteViolations(doc: Obj): string[] {
  const out: string[] = [];
  const all = Object.keys(doc.phases ?? {}).flatMap((p) => commands(doc, p));
  for (const c of all) if (/\bdocker\b|\bnode build\.mjs\b/.test(c)) out.push(`builds an image: ${c.split("\n")[0]}`);
  const render = all.find((c) => c.startsWith("npm run render -- "));
  if (!render) out.push("never renders the manifests");
  else {
    for (const flag of ["--inventory-image", "--pricing-image"]) {
      const value = new RegExp(`${flag} "([^"]*)"`).exec(render)?.[1] ?? "";
      if (!/^\$\w+@\$\w+_DIGEST$/.test(value)) out.push(`${flag} must be "$ECR_..._URI@$..._DIGEST", got "${value}"`);
    }
    if (!/--env "\$DEPLOY_ENV"/.test(render)) out.push('render must pass --env "$DEPLOY_ENV"');
    // Everything else as buildspec.yml renders it: policy, capacity, Ingress.
    for (const m of String(BUILD_RENDER).matchAll(/(--[a-z-]+) ("[^"]*")/g)) {
      if (m[1].endsWith("-image")) continue;
      if (!render.includes(`${m[1]} ${m[2]}`)) out.push(`render must pass ${m[1]} ${m[2]} as buildspec.yml does`);
    }
  }
  if (!all.some((c) => /describe-images[\s\S]*imageDigest/.test(c))) out.push("never looks up the digests dev pushed");
  return out;
}

/** Runs pre_build (without npm ci) with a stand-in aws; returns the digests it found or its error. */
function lookup(known: Record<string, string>): { code: number | null; out: string; err: string } {
  const bin = join(tmp, `bin-${Object.keys(known).length}`);
  spawnSync("mkdir", ["-p", bin]);
  const table = Object.entries(known).map(([repo, d]) => `  ${repo}) echo ${d} ;;`).join("\n");
  writeFileSync(join(bin, "aws"), `#!/bin/bash\nrepo=""\nwhile [ $# -gt 0 ]; do [ "$1" = --repository-name ] && repo="$2"; shift; done\ncase "$repo" in\n${table}\n  *) echo "ImageNotFoundException" >&2; exit 254 ;;\nesac\n`);
  chmodSync(join(bin, "aws"), 0o755);
  const script = [...commands(spec, "pre_build").filter((c) => !c.startsWith("npm ci")), 'printf "%s %s" "$INVENTORY_DIGEST" "$PRICING_DIGEST"'].join("\n");
  const r = spawnSync("bash", ["-c", script], { env: { ...PROD_ENV, PATH: `${bin}:${process.env.PATH ?? ""}` }, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("buildspec-promote.yml", () => {
  test("never builds, renders from digests", () => {
    assert.deepEqual(promoteViolations(spec), []);
  });

  test("finds the digests dev pushed for the commit and renders prod with exactly those", () => {
    const r = lookup(DIGESTS);
    assert.equal(r.code, 0, r.err);
    const [inventory, pricing] = r.out.trim().split(/\s+/).slice(-2);
    assert.deepEqual([inventory, pricing], [DIGESTS["stockprice-inventory"], DIGESTS["stockprice-pricing"]]);
    const o = resolveOptions(renderArgv(spec, { ...PROD_ENV, INVENTORY_DIGEST: inventory, PRICING_DIGEST: pricing }), {}, ROOT);
    const images = renderManifests(o).filter((x) => x.kind === "Deployment").map((d) => (d as Obj).spec.template.spec.containers[0].image);
    assert.deepEqual(images.sort(), [`${PROD_ENV.ECR_INVENTORY_URI}@${inventory}`, `${PROD_ENV.ECR_PRICING_URI}@${pricing}`].sort());
    assert.equal(o.policyFile, join(ROOT, "live", "prod", "policy.yaml"), "prod prices from its own policy");
    const ingress = renderManifests(o).find((x) => x.kind === "Ingress") as Obj | undefined;
    assert.ok(ingress, "prod renders the inventory Ingress");
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"], PROD_ENV.INGRESS_CERTIFICATE_ARN);
  });

  test("a commit dev never built stops the promotion, saying why", () => {
    const r = lookup({ "stockprice-inventory": DIGESTS["stockprice-inventory"] });
    assert.notEqual(r.code, 0);
    assert.match(r.err, /dev has not built this commit/);
  });

  for (const [name, breakIt, expected] of [
    ["a docker build", (d: Obj) => d.phases.build.commands.unshift("docker build -t x ."), /builds an image/],
    ["a render without the Ingress", (d: Obj) => (d.phases.build.commands[0] = d.phases.build.commands[0].replace(/\n?--ingress-scheme "\$INGRESS_SCHEME"/, "")), /--ingress-scheme "\$INGRESS_SCHEME" as buildspec\.yml does/],
    ["a render without prod's policy", (d: Obj) => (d.phases.build.commands[0] = d.phases.build.commands[0].replace(/\n?--policy "\$PRICING_POLICY"/, "")), /--policy "\$PRICING_POLICY" as buildspec\.yml does/],
    ["a render by tag", (d: Obj) => (d.phases.build.commands[0] = d.phases.build.commands[0].replace('"$ECR_PRICING_URI@$PRICING_DIGEST"', '"$ECR_PRICING_URI:$IMAGE_TAG"')), /--pricing-image must be/],
  ] as const) {
    test(`broken: ${name} is caught`, () => {
      const d = clone(spec);
      breakIt(d);
      assert.ok(promoteViolations(d).some((p) => expected.test(p)), promoteViolations(d).join("\n"));
    });
  }
});
