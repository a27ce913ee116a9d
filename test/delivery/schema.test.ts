// Every rendered object of every variant against the Kubernetes API schemas
// (kubernetes-models, offline), plus unknown-field detection; KEDA objects,
// which have no schema here, are checked by hand.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigMap, Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import type { K8sObject } from "../../scripts/render.ts";
import { ESO_KINDS } from "../helpers/external-secrets.ts";
import { strictFieldErrors } from "../helpers/strict-fields.ts";
import { clone, find, variants, type Obj } from "../helpers/manifests.ts";

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/Ingress": Ingress,
};
const KEDA_KINDS = ["keda.sh/v1alpha1/TriggerAuthentication", "keda.sh/v1alpha1/ScaledObject"];

/** Schema errors of the objects with a Kubernetes schema; unknown kinds are errors too. */
export function schemaErrors(objects: readonly K8sObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    const Model = MODELS[key];
    if (!Model) {
      if (!KEDA_KINDS.includes(key) && !ESO_KINDS.includes(key)) out.push(`${o.kind}/${o.metadata?.name}: no schema for ${key}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (err) {
      out.push(`${o.kind}/${o.metadata?.name}: ${(err as Error).message}`);
    }
  }
  return out;
}

const SCALED_OBJECT_SPEC = ["scaleTargetRef", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced", "triggers"];
const SQS_METADATA = ["queueURL", "queueURLFromEnv", "queueLength", "activationQueueLength", "awsRegion", "awsEndpoint", "scaleOnInFlight", "scaleOnDelayed"];
const POD_IDENTITY = ["provider", "roleArn", "identityOwner", "identityId"];

/** Hand-written structure of the two KEDA objects and their references. */
export function kedaErrors(objects: readonly K8sObject[]): string[] {
  const out: string[] = [];
  const keda = objects.filter((o) => o.apiVersion.startsWith("keda.sh/")) as Obj[];
  for (const o of keda) {
    if (o.apiVersion !== "keda.sh/v1alpha1") out.push(`${o.kind}/${o.metadata.name}: apiVersion must be keda.sh/v1alpha1`);
    if (o.metadata.namespace !== "stockprice") out.push(`${o.kind}/${o.metadata.name}: must be in namespace stockprice`);
  }
  for (const auth of keda.filter((o) => o.kind === "TriggerAuthentication")) {
    const pi = (auth.spec?.podIdentity ?? {}) as Obj;
    for (const k of Object.keys(auth.spec ?? {})) if (k !== "podIdentity") out.push(`TriggerAuthentication: spec.${k} is not expected (IRSA only, no secrets)`);
    for (const k of Object.keys(pi)) if (!POD_IDENTITY.includes(k)) out.push(`TriggerAuthentication: unknown field podIdentity.${k}`);
    if (pi.provider !== "aws") out.push(`TriggerAuthentication: podIdentity.provider must be aws (aws-eks is deprecated), got ${pi.provider}`);
    if (pi.identityOwner !== "workload") out.push(`TriggerAuthentication: podIdentity.identityOwner must be workload, got ${pi.identityOwner}`);
    if (pi.roleArn !== undefined) out.push("TriggerAuthentication: roleArn and identityOwner are mutually exclusive");
  }
  for (const so of keda.filter((o) => o.kind === "ScaledObject")) {
    const spec = (so.spec ?? {}) as Obj;
    for (const k of Object.keys(spec)) if (!SCALED_OBJECT_SPEC.includes(k)) out.push(`ScaledObject: unknown field spec.${k}`);
    const target = objects.find((o) => o.kind === spec.scaleTargetRef?.kind && o.metadata.name === spec.scaleTargetRef?.name) as Obj | undefined;
    if (spec.scaleTargetRef?.apiVersion !== "apps/v1" || spec.scaleTargetRef?.kind !== "Deployment" || !target) {
      out.push(`ScaledObject: scaleTargetRef must name a rendered apps/v1 Deployment`);
    } else if (target.spec?.replicas !== undefined) {
      out.push(`ScaledObject: Deployment/${target.metadata.name} still sets replicas, which would fight the scaler`);
    }
    for (const f of ["pollingInterval", "cooldownPeriod", "minReplicaCount", "maxReplicaCount"]) {
      if (!Number.isInteger(spec[f]) || spec[f] < 0) out.push(`ScaledObject: spec.${f} must be a non-negative integer`);
    }
    if (spec.minReplicaCount > spec.maxReplicaCount || spec.maxReplicaCount < 1) out.push("ScaledObject: need 0 <= minReplicaCount <= maxReplicaCount, maxReplicaCount >= 1");
    const triggers = (spec.triggers ?? []) as Obj[];
    if (triggers.length !== 1) out.push(`ScaledObject: expected one trigger, found ${triggers.length}`);
    for (const t of triggers) {
      if (t.type !== "aws-sqs-queue") out.push(`ScaledObject: trigger type must be aws-sqs-queue, got ${t.type}`);
      const md = (t.metadata ?? {}) as Obj;
      for (const [k, v] of Object.entries(md)) {
        if (!SQS_METADATA.includes(k)) out.push(`ScaledObject: unknown aws-sqs-queue metadata ${k}`);
        if (typeof v !== "string") out.push(`ScaledObject: trigger metadata ${k} must be a string (KEDA reads a map of strings)`);
      }
      if (!/^[1-9][0-9]*$/.test(String(md.queueLength))) out.push("ScaledObject: queueLength must be a positive integer string");
      if (!md.queueURL || !md.awsRegion) out.push("ScaledObject: queueURL and awsRegion are required");
      const authName = t.authenticationRef?.name;
      if (!keda.some((o) => o.kind === "TriggerAuthentication" && o.metadata.name === authName)) {
        out.push(`ScaledObject: authenticationRef ${authName} is not a rendered TriggerAuthentication`);
      }
    }
  }
  return out;
}

describe("every rendered variant validates against the API schemas", () => {
  const all = variants();

  for (const v of all) {
    test(`${v.name}: schemas`, () => {
      assert.deepEqual(schemaErrors(v.objects), []);
    });
    test(`${v.name}: KEDA objects`, () => {
      assert.deepEqual(kedaErrors(v.objects), []);
      const kinds = v.objects.filter((o) => o.apiVersion.startsWith("keda.sh/")).map((o) => o.kind).sort();
      assert.deepEqual(kinds, v.options.keda ? ["ScaledObject", "TriggerAuthentication"] : []);
    });
  }

  test("no unknown fields in any variant (strict field validation)", () => {
    assert.deepEqual(strictFieldErrors(all.flatMap((v) => v.objects)), []);
  });
});

describe("the schema checks catch broken input", () => {
  const objects = variants().find((v) => v.name === "prod/spot/keda")!.objects;

  test("a string replicas and a missing selector fail validation", () => {
    const broken = clone(objects);
    (find(broken, "Deployment", "pricing") as Obj).spec.replicas = "2";
    delete (find(broken, "Deployment", "inventory") as Obj).spec.selector;
    const errors = schemaErrors(broken);
    assert.ok(errors.some((e) => /Deployment\/pricing: .*replicas must be integer/.test(e)), errors.join("\n"));
    assert.ok(errors.some((e) => /Deployment\/inventory: .*selector/.test(e)), errors.join("\n"));
  });

  test("a bad quantity and an unknown kind fail", () => {
    const broken = clone(objects);
    (find(broken, "Deployment", "inventory") as Obj).spec.template.spec.containers[0].resources.requests.cpu = "a lot";
    broken.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "oops" } });
    const errors = schemaErrors(broken);
    assert.ok(errors.some((e) => /requests\/cpu/.test(e)), errors.join("\n"));
    assert.ok(errors.some((e) => /Secret\/oops: no schema/.test(e)), errors.join("\n"));
  });

  test("a misspelt field is an unknown field", () => {
    const broken = clone(objects);
    const c = (find(broken, "Deployment", "inventory") as Obj).spec.template.spec.containers[0];
    c.securityContext.readOnlyRootFileSystem = true;
    (find(broken, "HorizontalPodAutoscaler", "inventory") as Obj).spec.maxReplica = 3;
    const errors = strictFieldErrors(broken);
    assert.ok(errors.some((e) => e.startsWith("Deployment/inventory:") && e.includes("readOnlyRootFileSystem")), errors.join("\n"));
    assert.ok(errors.some((e) => e.startsWith("HorizontalPodAutoscaler/inventory:") && e.includes("maxReplica")), errors.join("\n"));
  });

  test("KEDA: deprecated provider, roleArn, a numeric queueLength, a dangling reference", () => {
    const broken = clone(objects);
    const auth = find(broken, "TriggerAuthentication", "pricing-sqs") as Obj;
    auth.spec.podIdentity = { provider: "aws-eks", roleArn: "arn:aws:iam::123456789012:role/x" };
    const so = find(broken, "ScaledObject", "pricing") as Obj;
    so.spec.triggers[0].metadata.queueLength = 50;
    so.spec.triggers[0].authenticationRef.name = "missing";
    so.spec.scaleTargetRef.name = "nothing";
    const errors = kedaErrors(broken);
    for (const expected of [/provider must be aws/, /identityOwner must be workload/, /mutually exclusive/, /queueLength must be a string/, /authenticationRef missing/, /scaleTargetRef/]) {
      assert.ok(errors.some((e) => expected.test(e)), `${expected} not in:\n${errors.join("\n")}`);
    }
  });

  test("KEDA: the scaled Deployment must not also set replicas", () => {
    const broken = clone(objects);
    (find(broken, "Deployment", "pricing") as Obj).spec.replicas = 2;
    assert.ok(kedaErrors(broken).some((e) => /still sets replicas/.test(e)));
  });
});
