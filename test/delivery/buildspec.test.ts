// buildspec.yml: the phases and their commands, only the variables the
// CodeBuild project provides, the post_build guard, and artifacts that are
// exactly what the render step writes.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { renderManifests, resolveOptions } from "../../scripts/render.ts";
import { commitTag } from "../../scripts/render/options.ts";
import { parsePolicy } from "../../src/pricing/policy.ts";
import { CODEBUILD_PREFIX, CODEBUILD_VARIABLES, commands, PROJECT_VARIABLES, readBuildspec, renderArgv, SAMPLE_ENV, scratchDir } from "../helpers/buildspec.ts";
import { clone, ROOT, SAMPLE_POLICY, type Obj } from "../helpers/manifests.ts";

const spec = readBuildspec("buildspec.yml");
const tmp = scratchDir("buildspec-test-");

/** Shell variables a command line reads, and those it assigns. */
export function shellVariables(script: string): { used: Set<string>; assigned: Set<string> } {
  const used = new Set<string>();
  const assigned = new Set<string>();
  for (const m of script.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) used.add(m[1]);
  for (const m of script.matchAll(/(?:^|;|&&|\|\||\n)\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g)) assigned.add(m[1]);
  for (const m of script.matchAll(/\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b/g)) assigned.add(m[1]);
  return { used, assigned };
}

/** Problems with the buildspec; empty when it follows the rules. */
export function buildspecViolations(doc: Obj): string[] {
  const out: string[] = [];
  if (String(doc.version) !== "0.2") out.push(`version must be 0.2, got ${doc.version}`);
  for (const phase of ["install", "pre_build", "build", "post_build"]) {
    if (commands(doc, phase).length === 0) out.push(`phase ${phase} has no commands`);
  }
  if (String(doc.phases?.install?.["runtime-versions"]?.nodejs) !== "24") out.push("install must select runtime-versions nodejs: 24");

  const pre = commands(doc, "pre_build").join("\n");
  if (!/^npm ci\b/m.test(pre)) out.push("pre_build must run npm ci");
  if (!/^npm test\b/m.test(pre)) out.push("pre_build must run npm test");
  if (!/aws ecr get-login-password[^\n|]*\|\s*docker login --username AWS --password-stdin/.test(pre)) out.push("pre_build must log in to ECR with get-login-password | docker login --password-stdin");
  if (!/IMAGE_TAG=.*CODEBUILD_RESOLVED_SOURCE_VERSION/.test(pre)) out.push("pre_build must derive IMAGE_TAG from CODEBUILD_RESOLVED_SOURCE_VERSION");

  const build = commands(doc, "build");
  if (!build.some((c) => /^node build\.mjs\b/.test(c))) out.push("build must run node build.mjs");
  for (const [service, uri] of [["inventory", "ECR_INVENTORY_URI"], ["pricing", "ECR_PRICING_URI"]]) {
    if (!build.some((c) => /^(test "\$\w+_PUSHED" = 1 \|\| )?docker build /.test(c) && c.includes(`--build-arg SERVICE=${service}`) && c.includes(`-t "$${uri}:$IMAGE_TAG"`))) {
      out.push(`build must docker build --build-arg SERVICE=${service} -t "$${uri}:$IMAGE_TAG"`);
    }
  }

  const post = commands(doc, "post_build");
  const guard = post.findIndex((c) => /CODEBUILD_BUILD_SUCCEEDING/.test(c) && /exit [1-9]/.test(c));
  const firstAction = post.findIndex((c) => /docker push|npm run render/.test(c));
  if (guard < 0 || guard > firstAction) out.push("post_build must stop on CODEBUILD_BUILD_SUCCEEDING != 1 before pushing or rendering");
  for (const uri of ["ECR_INVENTORY_URI", "ECR_PRICING_URI"]) {
    if (!post.some((c) => new RegExp(`^(test "\\$\\w+_PUSHED" = 1 \\|\\| )?docker push "\\$${uri}:\\$IMAGE_TAG"$`).test(c))) out.push(`post_build must push "$${uri}:$IMAGE_TAG"`);
  }
  if (!post.some((c) => c.startsWith("npm run render -- "))) out.push("post_build must run npm run render -- ...");
  else if (!/--policy "\$PRICING_POLICY"/.test(post.find((c) => c.startsWith("npm run render -- "))!)) out.push('render must pass --policy "$PRICING_POLICY": each environment prices from its own policy');

  const all = Object.keys(doc.phases ?? {}).flatMap((p) => commands(doc, p)).join("\n");
  const { used, assigned } = shellVariables(all);
  for (const name of Object.keys(doc.env?.variables ?? {})) assigned.add(name);
  for (const v of used) {
    if (!PROJECT_VARIABLES.includes(v) && !CODEBUILD_VARIABLES.includes(v) && !CODEBUILD_PREFIX.test(v) && !assigned.has(v)) {
      out.push(`uses $${v}, which neither the CodeBuild project nor CodeBuild provides`);
    }
  }
  if (doc.artifacts?.["base-directory"] === undefined) out.push("artifacts need a base-directory (the render --out)");
  return out;
}

/** The render command with the sample variables expanded, as argv. */
describe("buildspec.yml", () => {
  test("has the phases, commands and guard, and only the provided variables", () => {
    assert.deepEqual(buildspecViolations(spec), []);
  });

  test("tags images exactly as the render step does", () => {
    const line = commands(spec, "pre_build").find((c) => c.startsWith("IMAGE_TAG="))!;
    const r = spawnSync("bash", ["-c", `${line}; printf %s "$IMAGE_TAG"`], { env: { PATH: process.env.PATH ?? "", ...SAMPLE_ENV }, encoding: "utf8" });
    assert.equal(r.stdout, commitTag(SAMPLE_ENV.CODEBUILD_RESOLVED_SOURCE_VERSION));
  });

  test("the render command's flags are valid and use the pushed images", () => {
    const env: Record<string, string> = { ...SAMPLE_ENV, IMAGE_TAG: commitTag(SAMPLE_ENV.CODEBUILD_RESOLVED_SOURCE_VERSION) };
    const policy = join(tmp, "policy.yaml");
    writeFileSync(policy, SAMPLE_POLICY);
    const o = resolveOptions([...renderArgv(spec, env), "--policy", policy], {}, tmp);
    assert.equal(o.inventoryImage, `${env.ECR_INVENTORY_URI}:${env.IMAGE_TAG}`);
    assert.equal(o.pricingImage, `${env.ECR_PRICING_URI}:${env.IMAGE_TAG}`);
    assert.deepEqual(
      [o.env, o.region, o.pricingCapacity, o.inventoryRoleArn, o.pricingRoleArn, o.inventoryQueueUrl, o.priceQueueUrl],
      [env.DEPLOY_ENV, env.AWS_REGION, env.PRICING_CAPACITY, env.INVENTORY_ROLE_ARN, env.PRICING_ROLE_ARN, env.INVENTORY_QUEUE_URL, env.PRICE_QUEUE_URL],
    );
    assert.deepEqual(o.ingress, { scheme: env.INGRESS_SCHEME, certificateArn: env.INGRESS_CERTIFICATE_ARN });
  });

  test("dev renders dev's own policy into the pricing ConfigMap (PRICING_POLICY, as the pipeline sets it)", () => {
    const env: Record<string, string> = { ...SAMPLE_ENV, IMAGE_TAG: "89abcde" };
    const o = resolveOptions(renderArgv(spec, env), {}, ROOT);
    assert.equal(o.policyFile, join(ROOT, "live", "dev", "policy.yaml"));
    const configMap = renderManifests(o).find((x) => x.kind === "ConfigMap" && x.metadata.name === "pricing-policy") as unknown as { data: Record<string, string> };
    assert.equal(configMap.data["policy.yaml"], readFileSync(join(ROOT, "live", "dev", "policy.yaml"), "utf8"));
    assert.notEqual(configMap.data["policy.yaml"], readFileSync(join(ROOT, "examples", "policy.yaml"), "utf8"), "dev must not price from the example");
  });

  test("every environment's policy is a valid pricing policy", () => {
    for (const env of ["dev", "prod"]) assert.ok(parsePolicy(readFileSync(join(ROOT, "live", env, "policy.yaml"), "utf8")).prefixes.length > 0, env);
  });

  test("artifacts are exactly the files a dry run of that render command lists", () => {
    const env: Record<string, string> = { ...SAMPLE_ENV, IMAGE_TAG: "89abcde" };
    const policy = join(tmp, "policy.yaml");
    writeFileSync(policy, SAMPLE_POLICY);
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "render.ts"), ...renderArgv(spec, env), "--policy", policy, "--dry-run"], {
      cwd: tmp,
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const base = `${spec.artifacts["base-directory"]}/`;
    const listed = r.stdout.trim().split("\n");
    assert.ok(listed.every((f) => f.startsWith(base)), `${listed} outside ${base}`);
    assert.deepEqual([...spec.artifacts.files].sort(), listed.map((f) => f.slice(base.length)).sort());
    assert.deepEqual(spec.artifacts.files, ["manifests.yaml"], "the EKS deploy action's ManifestFiles");
  });

  const broken: Array<[string, (d: Obj) => void, RegExp]> = [
    ["a variable the project does not provide", (d) => d.phases.build.commands.push('docker build -t "$ECR_URI:$IMAGE_TAG" .'), /uses \$ECR_URI/],
    ["no guard in post_build", (d) => d.phases.post_build.commands.shift(), /CODEBUILD_BUILD_SUCCEEDING/],
    ["no tests", (d) => (d.phases.pre_build.commands = d.phases.pre_build.commands.filter((c: string) => c !== "npm test")), /must run npm test/],
    ["Node 22", (d) => (d.phases.install["runtime-versions"].nodejs = 22), /nodejs: 24/],
    ["pricing never built", (d) => (d.phases.build.commands = d.phases.build.commands.filter((c: string) => !c.includes("SERVICE=pricing"))), /SERVICE=pricing/],
    ["a phase left empty", (d) => delete d.phases.install.commands, /install has no commands/],
  ];
  for (const [name, breakIt, expected] of broken) {
    test(`catches ${name}`, () => {
      const d = clone(spec);
      breakIt(d);
      const found = buildspecViolations(d);
      assert.ok(found.some((m) => expected.test(m)), `${expected} not in:\n${found.join("\n")}`);
    });
  }
});
