// The manifests against the Terraform that hosts them: ServiceAccounts against
// the IRSA trust subjects (modules/irsa's calls of modules/irsa-role), pod labels against the Fargate
// profiles and pricing's placement against the Spot node group (modules/eks).
// Terraform is read with HashiCorp's HCL parser (@cdktf/hcl2json), offline.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "@cdktf/hcl2json";
import { K8S } from "../../src/shared/names.ts";
import { deployments, find, ROOT, variants, type Obj } from "../helpers/manifests.ts";

const IRSA = join(ROOT, "modules", "irsa");
const EKS = join(ROOT, "modules", "eks");

/** The agreed names (src/shared/names.ts) the Terraform must use too. */
export const AGREED = {
  subjects: [K8S.inventory.serviceAccount, K8S.pricing.serviceAccount].map((sa) => `system:serviceaccount:${K8S.namespace}:${sa}`),
  fargate: { namespace: K8S.namespace, label: "app.kubernetes.io/name" },
  nodeGroup: { label: "stockprice.io/workload", value: "pricing", effect: "NO_SCHEDULE" },
};

/** Every .tf file of a module, parsed and merged (blocks are arrays in hcl2json). */
export async function loadModule(dir: string): Promise<Obj> {
  const merged: Obj = {};
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".tf")).sort()) {
    const json = (await parse(f, readFileSync(join(dir, f), "utf8"))) as Obj;
    for (const [section, blocks] of Object.entries(json)) {
      merged[section] ??= {};
      for (const [type, byName] of Object.entries(blocks as Obj)) {
        if (!byName || typeof byName !== "object" || Array.isArray(byName)) {
          merged[section][type] = byName;
          continue;
        }
        merged[section][type] = { ...(merged[section][type] ?? {}), ...(byName as Obj) };
      }
    }
  }
  return merged;
}

/** `${var.x}` replaced by the variable's default where it has a plain one. */
export function resolveVars(text: string, module: Obj): string {
  return text.replace(/\$\{var\.([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const d = module.variable?.[name]?.[0]?.default;
    return typeof d === "string" ? d : whole;
  });
}

function strings(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === "object") return Object.values(node).flatMap(strings);
  return [];
}

/** The sub claims the IRSA roles trust: modules/irsa-role trusts system:serviceaccount:<namespace>:<service_account> of each call of it; variables resolved to their defaults. */
export function trustSubjects(module: Obj): string[] {
  const locals = Object.assign({}, ...(Object.values(module.locals ?? {}) as Obj[]));
  return Object.values((module.module ?? {}) as Record<string, Obj[]>)
    .map((calls) => calls[0])
    .filter((call) => call.source === "../irsa-role")
    .flatMap((call) => (call.service_account === "${each.value}" ? Object.values((locals.subjects ?? {}) as Obj) : [call.service_account]).map((sa) => `system:serviceaccount:${call.namespace}:${sa}`))
    .map((s) => resolveVars(s, module));
}

export interface FargateSelector {
  namespace: string;
  labels: Record<string, string>;
}

/** Every selector of the module's Fargate profiles (local.fargate_profiles, one entry per profile), whether or not the profile is enabled. */
export function fargateSelectors(module: Obj): FargateSelector[] {
  const locals = Object.assign({}, ...(Object.values(module.locals ?? {}) as Obj[]));
  return Object.values((locals.fargate_profiles ?? {}) as Record<string, Obj>).flatMap((p) =>
    ((p.selectors ?? []) as Obj[]).map((s) => ({
      namespace: resolveVars(String(s.namespace), module),
      labels: Object.fromEntries(Object.entries((s.labels ?? {}) as Record<string, string>).map(([k, v]) => [k, resolveVars(String(v), module)])),
    })),
  );
}

export function nodeGroups(module: Obj): Array<{ labels: Record<string, string>; taints: Obj[]; capacityType?: string }> {
  const groups = (module.resource?.aws_eks_node_group ?? {}) as Record<string, Obj[]>;
  return Object.values(groups).flatMap((blocks) =>
    blocks.map((g) => ({
      labels: Object.fromEntries(Object.entries((g.labels ?? {}) as Record<string, string>).map(([k, v]) => [k, resolveVars(String(v), module)])),
      taints: ((g.taint ?? []) as Obj[]).map((t) => ({ key: resolveVars(String(t.key), module), value: resolveVars(String(t.value), module), effect: resolveVars(String(t.effect), module) })),
      capacityType: g.capacity_type === undefined ? undefined : resolveVars(String(g.capacity_type), module),
    })),
  );
}

/** Whether a Fargate selector picks a pod of `namespace` with `labels`. */
export function selectsPod(s: FargateSelector, namespace: string, labels: Record<string, string>): boolean {
  return s.namespace === namespace && Object.entries(s.labels).every(([k, v]) => labels[k] === v);
}

const all = variants();

describe("the manifests use the agreed names", () => {
  test("ServiceAccounts are the IRSA subjects the roles are meant to trust", () => {
    for (const v of all) {
      const sas = v.objects.filter((o) => o.kind === "ServiceAccount").map((o) => `system:serviceaccount:${o.metadata.namespace}:${o.metadata.name}`);
      assert.deepEqual(sas.sort(), [...AGREED.subjects].sort());
      for (const d of deployments(v.objects)) {
        assert.ok(AGREED.subjects.includes(`system:serviceaccount:${d.metadata.namespace}:${d.spec.template.spec.serviceAccountName}`));
      }
    }
  });

  test("pods carry the labels the Fargate profiles select on; pricing targets the node group's label and taint", () => {
    for (const v of all) {
      for (const d of deployments(v.objects)) {
        assert.equal(d.metadata.namespace, AGREED.fargate.namespace);
        assert.equal(d.spec.template.metadata.labels[AGREED.fargate.label], d.metadata.name);
      }
      const pod = find(v.objects, "Deployment", "pricing").spec.template.spec;
      if (v.options.pricingCapacity === "spot") {
        assert.equal(pod.nodeSelector[AGREED.nodeGroup.label], AGREED.nodeGroup.value);
        assert.ok(pod.tolerations.some((t: Obj) => t.key === AGREED.nodeGroup.label && t.value === AGREED.nodeGroup.value && t.effect === "NoSchedule"));
      }
    }
  });
});

describe("modules/irsa trusts exactly the rendered ServiceAccounts", () => {
  test("each ServiceAccount is a trusted subject", async () => {
    const subjects = trustSubjects(await loadModule(IRSA));
    assert.ok(subjects.length > 0, "no system:serviceaccount: subject found in modules/irsa");
    const unresolved = subjects.filter((s) => s.includes("${"));
    assert.deepEqual(unresolved, [], "subjects that do not resolve to fixed names");
    for (const s of AGREED.subjects) assert.ok(subjects.includes(s), `${s} not in ${subjects.join(", ")}`);
  });
});

describe("modules/eks places the pods where the manifests expect", () => {
  test("a Fargate profile selects inventory's pods", async () => {
    const selectors = fargateSelectors(await loadModule(EKS));
    for (const v of all) {
      const inv = find(v.objects, "Deployment", "inventory");
      assert.ok(selectors.some((s) => selectsPod(s, inv.metadata.namespace, inv.spec.template.metadata.labels)), `no Fargate profile selects inventory: ${JSON.stringify(selectors)}`);
      const pricing = find(v.objects, "Deployment", "pricing");
      if (v.options.pricingCapacity === "fargate") {
        assert.ok(selectors.some((s) => selectsPod(s, pricing.metadata.namespace, pricing.spec.template.metadata.labels)), "no Fargate profile for pricing");
      }
    }
  });

  test("the Spot node group has the label and NO_SCHEDULE taint pricing targets", async () => {
    const groups = nodeGroups(await loadModule(EKS));
    const pricing = groups.filter((g) => g.labels[AGREED.nodeGroup.label] === AGREED.nodeGroup.value);
    assert.equal(pricing.length, 1, `node groups: ${JSON.stringify(groups)}`);
    assert.equal(pricing[0].capacityType, "SPOT");
    assert.deepEqual(pricing[0].taints, [{ key: AGREED.nodeGroup.label, value: AGREED.nodeGroup.value, effect: AGREED.nodeGroup.effect }]);
    const pod = find(all.find((v) => v.options.pricingCapacity === "spot")!.objects, "Deployment", "pricing").spec.template.spec;
    assert.deepEqual(pod.nodeSelector, { [AGREED.nodeGroup.label]: pricing[0].labels[AGREED.nodeGroup.label] });
    const effect: Record<string, string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
    assert.deepEqual(pod.tolerations, pricing[0].taints.map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: effect[t.effect] })));
  });
});

describe("the Terraform readers work", () => {
  test("on a module shaped like the agreed one", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "tf-"));
    try {
      writeFileSync(join(dir, "variables.tf"), 'variable "namespace" {\n  type    = string\n  default = "stockprice"\n}\n');
      writeFileSync(join(dir, "main.tf"), [
        'locals {\n  subjects = { inventory = "inventory", pricing = "pricing" }\n  fargate_profiles = {\n    inventory = { enabled = true, selectors = [{ namespace = var.namespace, labels = { "app.kubernetes.io/name" = "inventory" } }] }\n  }\n}',
        'resource "aws_eks_node_group" "pricing" {\n  capacity_type = "SPOT"\n  labels = { "stockprice.io/workload" = "pricing" }\n  taint {\n    key    = "stockprice.io/workload"\n    value  = "pricing"\n    effect = "NO_SCHEDULE"\n  }\n}',
        'module "role" {\n  source          = "../irsa-role"\n  for_each        = local.subjects\n  namespace       = var.namespace\n  service_account = each.value\n}',
      ].join("\n"));
      const m = await loadModule(dir);
      assert.deepEqual(trustSubjects(m).sort(), [...AGREED.subjects].sort());
      assert.deepEqual(fargateSelectors(m), [{ namespace: "stockprice", labels: { "app.kubernetes.io/name": "inventory" } }]);
      assert.deepEqual(nodeGroups(m), [{ labels: { "stockprice.io/workload": "pricing" }, taints: [{ key: "stockprice.io/workload", value: "pricing", effect: "NO_SCHEDULE" }], capacityType: "SPOT" }]);
      assert.equal(selectsPod(fargateSelectors(m)[0], "stockprice", { "app.kubernetes.io/name": "pricing" }), false, "a profile for inventory does not take pricing");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
