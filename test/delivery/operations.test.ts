// What the rendered manifests promise for running in production: prod names
// images only by digest (built once in dev, promoted), the pipeline's file
// holds only objects inside the stockprice namespace (its access is scoped
// to it), both Deployments spread over nodes and zones, and the API tokens
// come from Secrets Manager through External Secrets Operator. Each check is
// also seen to fail on a broken copy.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderManifests, resolveOptions, UsageError, type K8sObject } from "../../scripts/render.ts";
import { isBootstrap, loadTemplates, tokensSecretName } from "../../scripts/render/manifests.ts";
import { SPREAD_KEYS } from "../../scripts/render/placement.ts";
import { externalSecretErrors } from "../helpers/external-secrets.ts";
import { baseOptions, clone, deployments, find, variants, type Obj } from "../helpers/manifests.ts";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const REGISTRY = "222222222222.dkr.ecr.eu-west-1.amazonaws.com";

/** Images a rendered file runs that are not pinned by digest. */
export function unpinnedImages(objects: readonly K8sObject[]): string[] {
  return deployments(objects).flatMap((d) => (d.spec.template.spec.containers as Obj[]).map((c) => String(c.image))).filter((i) => !/@sha256:[a-f0-9]{64}$/.test(i));
}

/** Objects the namespace-scoped pipeline could not apply: cluster-scoped, or in another namespace. */
export function outsideNamespace(objects: readonly K8sObject[], namespace = "stockprice"): string[] {
  return objects.filter((o) => o.metadata.namespace !== namespace).map((o) => `${o.kind}/${o.metadata.name}`);
}

/** Deployments without a node and a zone spread over their own pods. */
export function spreadProblems(objects: readonly K8sObject[]): string[] {
  const out: string[] = [];
  for (const d of deployments(objects)) {
    const constraints = (d.spec.template.spec.topologySpreadConstraints ?? []) as Obj[];
    for (const key of Object.values(SPREAD_KEYS)) {
      const c = constraints.find((x) => x.topologyKey === key);
      if (!c) {
        out.push(`Deployment/${d.metadata.name}: no spread over ${key}`);
        continue;
      }
      if (c.maxSkew !== 1) out.push(`Deployment/${d.metadata.name}: ${key} maxSkew ${c.maxSkew}, expected 1`);
      if (JSON.stringify(c.labelSelector?.matchLabels) !== JSON.stringify(d.spec.selector.matchLabels)) out.push(`Deployment/${d.metadata.name}: ${key} spread does not select the Deployment's own pods`);
    }
    const node = constraints.find((x) => x.topologyKey === SPREAD_KEYS.node);
    if (node && node.whenUnsatisfiable !== "DoNotSchedule") out.push(`Deployment/${d.metadata.name}: two pods may share a node (whenUnsatisfiable ${node.whenUnsatisfiable})`);
  }
  return out;
}

const prodArgs = (inventory: string, pricing: string) => ["--env", "prod", "--inventory-image", inventory, "--pricing-image", pricing];

describe("prod deploys only digests", () => {
  test("a prod render with digests runs exactly those digests", () => {
    const o = resolveOptions(prodArgs(`${REGISTRY}/stockprice/inventory@${DIGEST}`, `${REGISTRY}/stockprice/pricing@${DIGEST}`), {});
    const objects = renderManifests(o);
    assert.deepEqual(unpinnedImages(objects), []);
    assert.equal(find(objects, "Deployment", "inventory").spec.template.spec.containers[0].image, `${REGISTRY}/stockprice/inventory@${DIGEST}`);
  });

  test("every prod variant (placeholders included) is digest-only; dev may use tags", () => {
    for (const v of variants()) {
      if (v.options.env === "prod") assert.deepEqual(unpinnedImages(v.objects), [], v.name);
    }
    assert.notDeepEqual(unpinnedImages(renderManifests(baseOptions({ env: "dev" }))), []);
  });

  test("broken: a tag in prod is refused, naming the flag", () => {
    assert.throws(() => resolveOptions(prodArgs(`${REGISTRY}/stockprice/inventory:abc1234`, `${REGISTRY}/stockprice/pricing@${DIGEST}`), {}), (e: unknown) => e instanceof UsageError && e.flag === "--inventory-image" && /by digest in prod/.test(e.message));
    assert.throws(() => resolveOptions(["--env", "prod"], { ECR_PRICING_URI: `${REGISTRY}/stockprice/pricing`, CODEBUILD_RESOLVED_SOURCE_VERSION: "abc1234def" }), /--pricing-image must name the image by digest/);
  });

  test("broken: a rendered tag is caught by the check", () => {
    const objects = clone(renderManifests(baseOptions({ env: "prod" })));
    find(objects, "Deployment", "pricing").spec.template.spec.containers[0].image = `${REGISTRY}/stockprice/pricing:v1.2.0`;
    assert.deepEqual(unpinnedImages(objects), [`${REGISTRY}/stockprice/pricing:v1.2.0`]);
  });
});

describe("the pipeline applies only namespaced objects", () => {
  test("no variant renders the Namespace or anything outside stockprice", () => {
    for (const v of variants()) assert.deepEqual(outsideNamespace(v.objects), [], v.name);
  });

  test("broken: a cluster-scoped object is caught", () => {
    const objects = clone(renderManifests(baseOptions({ env: "prod" })));
    objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: "stockprice" } });
    assert.deepEqual(outsideNamespace(objects), ["Namespace/stockprice"]);
  });
});

/** Custom kinds (outside the built-in API groups) a rendered file holds that the bootstrap Role does not grant. */
export function ungrantedCustomKinds(objects: readonly K8sObject[], role: Obj): string[] {
  const builtIn = /^(v1|apps\/v1|autoscaling\/v2|policy\/v1|networking\.k8s\.io\/v1)$/;
  const granted = new Set((role.rules as Obj[]).flatMap((r) => (r.apiGroups as string[]).flatMap((g) => (r.resources as string[]).map((res) => `${g}/${res}`))));
  const wanted = ["create", "update", "patch", "delete", "get"];
  return [...new Set(objects.filter((o) => !builtIn.test(o.apiVersion)).map((o) => `${o.apiVersion.split("/")[0]}/${o.kind.toLowerCase()}s`))]
    .filter((k) => !granted.has(k) || !(role.rules as Obj[]).some((r) => (r.resources as string[]).includes(k.split("/")[1]) && wanted.every((v) => (r.verbs as string[]).includes(v))));
}

const bootstrap = loadTemplates().filter((t) => isBootstrap(t.file)).flatMap((t) => t.docs);

describe("the bootstrap grants the pipeline's group the custom kinds it applies, namespaced, without RBAC", () => {
  const role = find(bootstrap, "Role", "stockprice-deployer-crds");
  const binding = find(bootstrap, "RoleBinding", "stockprice-deployer-crds");

  test("every variant's custom kinds are granted; the binding names the pipeline's group", () => {
    for (const v of variants()) assert.deepEqual(ungrantedCustomKinds(v.objects, role), [], v.name);
    assert.deepEqual(binding.subjects, [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "stockprice-deployers" }]);
    assert.equal(binding.roleRef.name, role.metadata.name);
    for (const o of bootstrap) assert.ok(o.kind === "Namespace" || o.metadata.namespace === "stockprice", `${o.kind}/${o.metadata.name} is namespaced`);
    assert.ok(!(role.rules as Obj[]).some((r) => (r.apiGroups as string[]).includes("rbac.authorization.k8s.io") || (r.resources as string[]).includes("*")), "no RBAC, no wildcard");
  });

  test("broken: a Role without the External Secrets kinds", () => {
    const r = clone(role);
    r.rules = r.rules.filter((x: Obj) => !x.apiGroups.includes("external-secrets.io"));
    const objects = renderManifests(baseOptions({ env: "prod", keda: true }));
    assert.deepEqual(ungrantedCustomKinds(objects, r).sort(), ["external-secrets.io/externalsecrets", "external-secrets.io/secretstores"]);
  });
});

describe("both Deployments spread over nodes and zones", () => {
  test("every variant", () => {
    for (const v of variants()) {
      assert.deepEqual(spreadProblems(v.objects), [], v.name);
      assert.equal(deployments(v.objects).length, 2);
    }
  });

  for (const [name, breakIt, expected] of [
    ["no zone spread", (d: Obj) => (d.spec.template.spec.topologySpreadConstraints = d.spec.template.spec.topologySpreadConstraints.filter((c: Obj) => c.topologyKey !== SPREAD_KEYS.zone)), /no spread over topology.kubernetes.io\/zone/],
    ["a soft node spread", (d: Obj) => (d.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable = "ScheduleAnyway"), /may share a node/],
    ["a spread over other pods", (d: Obj) => (d.spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels = { app: "x" }), /does not select/],
  ] as const) {
    test(`broken: ${name}`, () => {
      const objects = clone(renderManifests(baseOptions({ env: "prod" })));
      breakIt(find(objects, "Deployment", "pricing"));
      assert.ok(spreadProblems(objects).some((p) => expected.test(p)), spreadProblems(objects).join("\n"));
    });
  }
});

describe("the API tokens come from Secrets Manager", () => {
  test("every variant renders a valid SecretStore and ExternalSecret for the mounted Secret", () => {
    for (const v of variants()) {
      assert.deepEqual(externalSecretErrors(v.objects), [], v.name);
      assert.equal(find(v.objects, "ExternalSecret", "inventory-api-tokens").spec.data[0].remoteRef.key, tokensSecretName(v.options.env));
    }
  });

  for (const [name, breakIt, expected] of [
    ["a misspelt field", (o: K8sObject[]) => (find(o, "ExternalSecret", "inventory-api-tokens").spec.refreshinterval = "1m"), /must NOT have additional properties/],
    ["the old API version", (o: K8sObject[]) => (find(o, "SecretStore", "aws-secrets-manager").apiVersion = "external-secrets.io/v1beta1"), /must be equal to constant/],
    ["a target the Deployment does not mount", (o: K8sObject[]) => (find(o, "ExternalSecret", "inventory-api-tokens").spec.target.name = "tokens"), /is not the Secret inventory mounts/],
    ["a key the Deployment does not read", (o: K8sObject[]) => (find(o, "ExternalSecret", "inventory-api-tokens").spec.data[0].secretKey = "token"), /no data for key tokens/],
    ["a store without IRSA", (o: K8sObject[]) => (find(o, "SecretStore", "aws-secrets-manager").spec.provider.aws.auth.jwt.serviceAccountRef.name = "default"), /not a rendered ServiceAccount with an IRSA role/],
    ["a bad refresh interval", (o: K8sObject[]) => (find(o, "ExternalSecret", "inventory-api-tokens").spec.refreshInterval = "one minute"), /refreshInterval must match pattern/],
  ] as const) {
    test(`broken: ${name}`, () => {
      const objects = clone(renderManifests(baseOptions({ env: "prod" })));
      breakIt(objects);
      const errors = externalSecretErrors(objects);
      assert.ok(errors.some((e) => expected.test(e)), errors.join("\n"));
    });
  }
});
