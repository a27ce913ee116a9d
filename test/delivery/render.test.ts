// The render step: flags, CodeBuild variables, placeholders, errors that name
// the flag, the single output file and its order, and what differs between
// environments.

import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { ENVIRONMENTS, FLAGS, KIND_ORDER, renderManifests, resolveOptions, toYaml, type K8sObject } from "../../scripts/render.ts";
import { isBootstrap, loadTemplates, MANIFEST_DIR } from "../../scripts/render/manifests.ts";
import { QUEUE_NAMES } from "../../src/shared/names.ts";
import { baseOptions, find, POLICY_FILE, ROOT, SAMPLE_POLICY, usageError, variants } from "../helpers/manifests.ts";

const dir = mkdtempSync(join(tmpdir(), "render-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const policy = join(dir, "policy.yaml");
writeFileSync(policy, SAMPLE_POLICY);
const brokenPolicy = join(dir, "broken.yaml");
writeFileSync(brokenPolicy, "rules: [unclosed\n");

const render = (args: string[], env: Record<string, string> = {}) => cli("render.ts", args, { cwd: dir, env });

describe("options", () => {
  test("a local run needs only --env: placeholders shaped like the real values", () => {
    const o = resolveOptions(["--env", "dev", "--policy", policy], {}, dir);
    assert.equal(o.inventoryImage, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/inventory:dev");
    assert.equal(o.pricingImage, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/pricing:dev");
    assert.match(o.inventoryRoleArn, /^arn:aws:iam::123456789012:role\/\S+inventory$/);
    assert.match(o.pricingRoleArn, /^arn:aws:iam::123456789012:role\/\S+pricing$/);
    assert.equal(o.inventoryQueueUrl, "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue");
    assert.equal(o.priceQueueUrl, "https://sqs.eu-west-1.amazonaws.com/123456789012/price-change-queue");
    assert.equal(o.region, "eu-west-1");
    assert.equal(o.pricingCapacity, "spot");
    assert.equal(o.keda, false);
    assert.equal(o.dryRun, false);
    assert.equal(o.out, join(dir, "rendered"));
    assert.equal(o.policy, SAMPLE_POLICY);
  });

  test("the placeholder queue URLs end in the queue names of names.ts", () => {
    const o = resolveOptions(["--env", "prod", "--policy", policy, "--region", "us-east-2"], {}, dir);
    assert.equal(o.inventoryQueueUrl.split("/").pop(), QUEUE_NAMES.inventory);
    assert.equal(o.priceQueueUrl.split("/").pop(), QUEUE_NAMES.price);
    assert.match(o.inventoryQueueUrl, /^https:\/\/sqs\.us-east-2\.amazonaws\.com\//);
  });

  test("every flag falls back to the CodeBuild variables; images get the commit tag", () => {
    const env = {
      DEPLOY_ENV: "dev",
      ECR_INVENTORY_URI: "210987654321.dkr.ecr.eu-central-1.amazonaws.com/stockprice/inventory",
      ECR_PRICING_URI: "210987654321.dkr.ecr.eu-central-1.amazonaws.com/stockprice/pricing",
      CODEBUILD_RESOLVED_SOURCE_VERSION: "0123456789abcdef0123456789abcdef01234567",
      INVENTORY_ROLE_ARN: "arn:aws:iam::210987654321:role/inv",
      PRICING_ROLE_ARN: "arn:aws:iam::210987654321:role/pri",
      INVENTORY_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/210987654321/inventory-update-queue",
      PRICE_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/210987654321/price-change-queue",
      AWS_REGION: "eu-central-1",
      PRICING_CAPACITY: "fargate",
    };
    const o = resolveOptions(["--policy", policy], env, dir);
    assert.equal(o.env, "dev");
    assert.equal(o.inventoryImage, `${env.ECR_INVENTORY_URI}:0123456`);
    assert.equal(o.pricingImage, `${env.ECR_PRICING_URI}:0123456`);
    assert.equal(o.inventoryRoleArn, env.INVENTORY_ROLE_ARN);
    assert.equal(o.pricingRoleArn, env.PRICING_ROLE_ARN);
    assert.equal(o.inventoryQueueUrl, env.INVENTORY_QUEUE_URL);
    assert.equal(o.priceQueueUrl, env.PRICE_QUEUE_URL);
    assert.equal(o.region, "eu-central-1");
    assert.equal(o.pricingCapacity, "fargate");

    // Flags win over the variables.
    const f = resolveOptions(["--policy", policy, "--env", "dev", "--pricing-capacity", "spot", "--inventory-image", "r.example/inventory:v1"], env, dir);
    assert.deepEqual([f.env, f.pricingCapacity, f.inventoryImage], ["dev", "spot", "r.example/inventory:v1"]);
    // AWS_DEFAULT_REGION when AWS_REGION is unset.
    assert.equal(resolveOptions(["--env", "dev", "--policy", policy], { AWS_DEFAULT_REGION: "ap-southeast-2" }, dir).region, "ap-southeast-2");
  });

  test("every value flag is documented with the variable it reads", () => {
    for (const f of Object.values(FLAGS)) assert.ok(f.allowed.length > 0, f.flag);
    assert.deepEqual(
      Object.values(FLAGS).flatMap((f) => f.envVars).sort(),
      ["AWS_DEFAULT_REGION", "AWS_REGION", "DEPLOY_ENV", "ECR_INVENTORY_URI", "ECR_PRICING_URI", "INGRESS_CERTIFICATE_ARN", "INGRESS_HOSTNAME", "INGRESS_SCHEME", "INGRESS_WAF_ACL_ARN", "INVENTORY_QUEUE_URL", "INVENTORY_ROLE_ARN", "PRICE_QUEUE_URL", "PRICING_CAPACITY", "PRICING_POLICY", "PRICING_ROLE_ARN", "PRICING_SCALING"],
    );
  });

  const bad: Array<[string, string[], Record<string, string>, string, RegExp]> = [
    ["no environment", [], {}, "--env", /is required \(dev \| prod/],
    ["unknown environment", ["--env", "staging"], {}, "--env", /must be one of dev \| prod, got "staging"/],
    ["unknown environment from DEPLOY_ENV", [], { DEPLOY_ENV: "qa" }, "--env", /must be one of dev \| prod/],
    ["unknown flag", ["--env", "dev", "--replicas", "3"], {}, "--replicas", /is not a flag \(allowed: --env/],
    ["unknown pricing scaling", ["--env", "dev"], { PRICING_SCALING: "hpa" }, "--pricing-scaling", /must be one of keda \| fixed, got "hpa"/],
    ["stray value", ["dev"], {}, '"dev"', /is not a flag/],
    ["flag without value", ["--env"], {}, "--env", /cannot be parsed/],
    ["empty value", ["--env", "dev", "--region", ""], {}, "--region", /must not be empty/],
    ["bad region", ["--env", "dev", "--region", "europe"], {}, "--region", /must be an AWS region/],
    ["bad capacity", ["--env", "dev", "--pricing-capacity", "spot-fargate"], {}, "--pricing-capacity", /must be one of spot \| fargate/],
    ["image without tag", ["--env", "dev", "--inventory-image", "r.example/inventory"], {}, "--inventory-image", /must carry a tag or a digest/],
    ["image without registry", ["--env", "dev", "--pricing-image", "pricing:1"], {}, "--pricing-image", /must be an image reference/],
    ["tag that is no label value", ["--env", "dev", "--pricing-image", "r.example/pricing:_x"], {}, "--pricing-image", /Kubernetes label value/],
    ["ECR URI without tag or commit", ["--env", "dev"], { ECR_PRICING_URI: "1.dkr.ecr.eu-west-1.amazonaws.com/pricing" }, "--pricing-image", /CODEBUILD_RESOLVED_SOURCE_VERSION/],
    ["role name instead of ARN", ["--env", "dev", "--inventory-role-arn", "inventory"], {}, "--inventory-role-arn", /must be an IAM role ARN/],
    ["user ARN", ["--env", "dev", "--pricing-role-arn", "arn:aws:iam::123456789012:user/x"], {}, "--pricing-role-arn", /must be an IAM role ARN/],
    ["queue name instead of URL", ["--env", "dev", "--inventory-queue-url", "inventory-update-queue"], {}, "--inventory-queue-url", /must be an SQS queue URL/],
    ["queue in another region", ["--env", "dev", "--price-queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/price-change-queue"], {}, "--price-queue-url", /region us-east-1 but --region is eu-west-1/],
    ["missing policy", ["--env", "dev", "--policy", "nope.yaml"], {}, "--policy", /cannot read .*nope\.yaml \(ENOENT\)/],
    ["policy that is not YAML", ["--env", "dev", "--policy", brokenPolicy], {}, "--policy", /must be a readable YAML file/],
  ];
  for (const [name, argv, env, flag, message] of bad) {
    test(`rejected: ${name}`, () => {
      const err = usageError(argv.includes("--policy") ? argv : [...argv, "--policy", policy], env, dir);
      assert.equal(err.flag, flag);
      assert.match(err.message, message);
      assert.ok(err.message.startsWith(flag), err.message);
    });
  }
});

describe("CLI", () => {
  test("writes exactly one file, no Namespace (bootstrap), ServiceAccounts and ConfigMaps before Deployments", () => {
    const out = join(dir, "out-dev");
    const r = render(["--env", "dev", "--policy", policy, "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out), ["manifests.yaml"]);
    const text = readFileSync(join(out, "manifests.yaml"), "utf8");
    const docs = parseAllDocuments(text, { version: "1.1" });
    assert.ok(Array.isArray(docs));
    const objects = docs.map((d) => d.toJS() as K8sObject);
    assert.equal(objects[0].kind, "ServiceAccount");
    assert.ok(!objects.some((o) => o.kind === "Namespace"), "the Namespace is applied once by an admin, not by the pipeline");
    const namespace = find(loadTemplates().filter((t) => isBootstrap(t.file)).flatMap((t) => t.docs), "Namespace", "stockprice");
    for (const mode of ["enforce", "warn", "audit"]) assert.equal(namespace.metadata.labels?.[`pod-security.kubernetes.io/${mode}`], "restricted", `manifests/namespace.yaml: Pod Security ${mode} restricted`);
    const first = (kind: string) => objects.findIndex((o) => o.kind === kind);
    const last = (kind: string) => objects.map((o) => o.kind).lastIndexOf(kind);
    assert.ok(last("ServiceAccount") < first("Deployment") && last("ConfigMap") < first("Deployment"));
    const ranks = objects.map((o) => KIND_ORDER.indexOf(o.kind));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "objects in KIND_ORDER");
    // The file is what renderManifests returns, nothing lost in YAML.
    assert.deepEqual(objects, renderManifests(resolveOptions(["--env", "dev", "--policy", policy], {}, dir)));
  });

  test("--dry-run prints the files it would write and writes none", () => {
    const r = render(["--env", "prod", "--policy", policy, "--dry-run"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "rendered/manifests.yaml\n");
    assert.equal(existsSync(join(dir, "rendered")), false);
  });

  test("a bad flag exits 2 naming the flag and what is allowed", () => {
    const r = render(["--env", "dev", "--pricing-capacity", "ondemand", "--policy", policy]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--pricing-capacity must be one of spot \| fargate, got "ondemand"/);
    const missing = render([]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--env is required/);
  });

  test("--help lists every flag", () => {
    const r = render(["--help"]);
    assert.equal(r.code, 0);
    for (const f of [...Object.values(FLAGS).map((x) => x.flag), "--keda", "--dry-run"]) assert.ok(r.stdout.includes(f), f);
  });

  test("the default policy is examples/policy.yaml", () => {
    const o = resolveOptions(["--env", "dev"], {}, ROOT);
    assert.equal(o.policyFile, POLICY_FILE);
  });
});

describe("rendering", () => {
  test("every template file is used by some variant", () => {
    const rendered = new Set(variants().flatMap((v) => v.objects.map((o) => `${o.kind}/${o.metadata.name}`)));
    for (const t of loadTemplates(MANIFEST_DIR).filter((x) => !isBootstrap(x.file))) {
      for (const o of t.docs) assert.ok(rendered.has(`${o.kind}/${o.metadata.name}`), `manifests/${t.file}: ${o.kind}/${o.metadata.name} never rendered`);
    }
  });

  test("the version label is the image tag, even one that looks like a number", () => {
    const objects = renderManifests(baseOptions({ inventoryImage: "r.example/inventory:1234567", pricingImage: "r.example/pricing:1e10" }));
    const text = toYaml(objects, "test");
    const back = parseAllDocuments(text, { version: "1.1" });
    assert.ok(Array.isArray(back));
    const inv = back.map((d) => d.toJS()).find((o) => o.kind === "Deployment" && o.metadata.name === "inventory");
    assert.equal(inv.spec.template.metadata.labels["app.kubernetes.io/version"], "1234567");
    const pri = back.map((d) => d.toJS()).find((o) => o.kind === "Deployment" && o.metadata.name === "pricing");
    assert.equal(pri.metadata.labels["app.kubernetes.io/version"], "1e10");
    for (const o of objects.filter((x) => x.metadata.labels?.["app.kubernetes.io/name"] === "inventory")) {
      assert.equal(o.metadata.labels?.["app.kubernetes.io/version"], "1234567", `${o.kind}/${o.metadata.name}`);
    }
  });

  test("the rendered values land where they belong", () => {
    const o = baseOptions({ env: "prod", keda: true });
    const objects = renderManifests(o);
    assert.equal(find(objects, "ServiceAccount", "inventory").metadata.annotations["eks.amazonaws.com/role-arn"], o.inventoryRoleArn);
    assert.equal(find(objects, "ServiceAccount", "pricing").metadata.annotations["eks.amazonaws.com/role-arn"], o.pricingRoleArn);
    assert.equal(find(objects, "Deployment", "inventory").spec.template.spec.containers[0].image, o.inventoryImage);
    assert.equal(find(objects, "Deployment", "pricing").spec.template.spec.containers[0].image, o.pricingImage);
    assert.equal(find(objects, "ConfigMap", "pricing-policy").data["policy.yaml"], o.policy);
    assert.equal(find(objects, "ScaledObject", "pricing").spec.triggers[0].metadata.queueURL, o.inventoryQueueUrl);
    assert.ok(!JSON.stringify(objects).includes("${"), "no placeholder left");
  });

  test("prod and dev differ only as the environment table says", () => {
    for (const env of ["dev", "prod"] as const) {
      const t = ENVIRONMENTS[env];
      const plain = renderManifests(baseOptions({ env }));
      const keda = renderManifests(baseOptions({ env, keda: true }));
      const hpa = find(plain, "HorizontalPodAutoscaler", "inventory");
      assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [t.inventory.minReplicas, t.inventory.maxReplicas]);
      assert.equal(find(plain, "Deployment", "pricing").spec.replicas, t.pricing.replicas);
      assert.equal(find(keda, "Deployment", "pricing").spec.replicas, undefined);
      const so = find(keda, "ScaledObject", "pricing");
      assert.deepEqual([so.spec.minReplicaCount, so.spec.maxReplicaCount], [t.pricing.kedaMin, t.pricing.kedaMax]);
      assert.equal(find(plain, "ConfigMap", "inventory-env").data.LOG_LEVEL, t.logLevel);
    }
    assert.ok(ENVIRONMENTS.prod.inventory.minReplicas >= 2, "prod survives losing a pod");
  });

  test("a settings or policy change changes the pods' config digest, an image change does not", () => {
    const digest = (objects: K8sObject[], name: string) => find(objects, "Deployment", name).spec.template.metadata.annotations["stockprice.io/config-sha256"];
    const a = renderManifests(baseOptions());
    const b = renderManifests(baseOptions({ policy: `${SAMPLE_POLICY}\n# changed\n` }));
    const c = renderManifests(baseOptions({ inventoryImage: "r.example/inventory:v2" }));
    const d = renderManifests(baseOptions({ env: "prod" }));
    assert.match(digest(a, "pricing"), /^[0-9a-f]{64}$/);
    assert.notEqual(digest(a, "pricing"), digest(b, "pricing"));
    assert.equal(digest(a, "inventory"), digest(b, "inventory"));
    assert.equal(digest(a, "inventory"), digest(c, "inventory"));
    assert.notEqual(digest(a, "inventory"), digest(d, "inventory"), "LOG_LEVEL differs");
  });
});
