// Pod rules on every rendered Deployment: restricted Pod Security Standard,
// probes on real ports, resources within the smallest Fargate pod, stable
// selectors, recommended labels, and how Service, HPA, PDB and the Secret
// refer to the pods.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { K8S } from "../../src/shared/names.ts";
import { labelViolations, podViolations, selects } from "../helpers/manifest-checks.ts";
import { clone, deployments, find, variants, type Obj } from "../helpers/manifests.ts";

const all = variants();

describe("every pod follows the restricted profile and the project's pod rules", () => {
  for (const v of all) {
    test(v.name, () => {
      const ds = deployments(v.objects);
      assert.deepEqual(ds.map((d) => d.metadata.name).sort(), [K8S.inventory.name, K8S.pricing.name]);
      for (const d of ds) {
        assert.deepEqual(podViolations(d), []);
        assert.deepEqual(labelViolations(d), []);
        assert.equal(d.spec.template.spec.serviceAccountName, d.metadata.name, "one ServiceAccount per workload");
        assert.equal(d.spec.template.spec.automountServiceAccountToken, false);
      }
    });
  }
});

describe("objects that select pods select the right ones", () => {
  for (const v of all) {
    test(v.name, () => {
      const inventory = find(v.objects, "Deployment", "inventory");
      const pricing = find(v.objects, "Deployment", "pricing");

      const svc = find(v.objects, "Service", "inventory");
      assert.equal(svc.spec.type, "ClusterIP");
      assert.ok(selects(svc.spec.selector, inventory) && !selects(svc.spec.selector, pricing), "Service selects inventory pods only");
      assert.deepEqual(svc.spec.ports.map((p: Obj) => [p.port, p.targetPort]), [[80, "http"]]);
      const http = inventory.spec.template.spec.containers[0].ports.find((p: Obj) => p.name === "http");
      assert.equal(http?.containerPort, K8S.inventory.port, "Service port 80 reaches container port 8080");

      for (const [d, other] of [[inventory, pricing], [pricing, inventory]]) {
        const pdb = find(v.objects, "PodDisruptionBudget", d.metadata.name);
        assert.ok(selects(pdb.spec.selector.matchLabels, d) && !selects(pdb.spec.selector.matchLabels, other), `PDB ${d.metadata.name}`);
        assert.equal(pdb.spec.maxUnavailable, 1, "never blocks a drain, never evicts two at once");
        assert.equal(find(v.objects, "ServiceAccount", d.metadata.name).automountServiceAccountToken, false);
      }

      const hpa = find(v.objects, "HorizontalPodAutoscaler", "inventory");
      assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "inventory" });
      assert.equal(hpa.spec.metrics[0].resource.name, "cpu");
      assert.ok(hpa.spec.minReplicas >= 1 && hpa.spec.minReplicas <= hpa.spec.maxReplicas);
      assert.equal(inventory.spec.replicas, undefined, "the HPA owns inventory's replica count");
      assert.equal(v.objects.filter((o) => o.kind === "HorizontalPodAutoscaler").length, 1, "only inventory has a plain HPA");
    });
  }
});

describe("placement: Fargate for inventory, Spot node group or Fargate for pricing", () => {
  for (const v of all) {
    test(v.name, () => {
      const inventory = find(v.objects, "Deployment", "inventory").spec.template.spec;
      assert.equal(inventory.nodeSelector, undefined);
      assert.equal(inventory.tolerations, undefined);
      const pricing = find(v.objects, "Deployment", "pricing").spec.template.spec;
      if (v.options.pricingCapacity === "spot") {
        assert.deepEqual(pricing.nodeSelector, { "stockprice.io/workload": "pricing" });
        assert.deepEqual(pricing.tolerations, [{ key: "stockprice.io/workload", operator: "Equal", value: "pricing", effect: "NoSchedule" }]);
      } else {
        assert.equal(pricing.nodeSelector, undefined);
        assert.equal(pricing.tolerations, undefined);
      }
    });
  }
});

describe("the API tokens come from a Secret the manifests never contain", () => {
  for (const v of all) {
    test(v.name, () => {
      assert.equal(v.objects.filter((o) => o.kind === "Secret").length, 0);
      const pod = find(v.objects, "Deployment", "inventory").spec.template.spec;
      const vol = pod.volumes.find((x: Obj) => x.secret);
      assert.equal(vol.secret.secretName, "inventory-api-tokens");
      assert.deepEqual(vol.secret.items, [{ key: "tokens", path: "tokens" }]);
      assert.equal(vol.secret.defaultMode, 0o440);
      assert.equal(pod.securityContext.fsGroup, 65532, "the nonroot user reads the 0440 file through its group");
      const mount = pod.containers[0].volumeMounts.find((m: Obj) => m.name === vol.name);
      assert.equal(mount.mountPath, "/var/run/secrets/inventory");
      assert.equal(mount.subPath, undefined, "a subPath mount would never see a rotated token");
      assert.ok(!/token[s]?\s*[:=]\s*[A-Za-z0-9+/]{16,}/i.test(JSON.stringify(v.objects)), "no token value anywhere");
    });
  }
});

describe("the pod rules catch broken input", () => {
  const objects = all.find((v) => v.name === "dev/spot")!.objects;
  /** One test per case: the Deployment broken as the case says, and `check` reporting it. */
  const breaks = (deployment: string, check: (d: Obj) => string[], list: Array<[string, (d: Obj) => void, RegExp]>) => {
    for (const [name, breakIt, expected] of list) {
      test(name, () => {
        const d = clone(find(objects, "Deployment", deployment));
        breakIt(d);
        const found = check(d);
        assert.ok(found.some((m) => expected.test(m)), `${expected} not in:\n${found.join("\n")}`);
      });
    }
  };
  const cases: Array<[string, (d: Obj) => void, RegExp]> = [
    ["root user", (d) => (d.spec.template.spec.securityContext.runAsUser = 0), /runAsUser must be 65532/],
    ["runAsNonRoot missing", (d) => delete d.spec.template.spec.securityContext.runAsNonRoot, /runAsNonRoot must be true/],
    ["no seccomp profile", (d) => delete d.spec.template.spec.securityContext.seccompProfile, /seccompProfile.type must be RuntimeDefault/],
    ["privilege escalation", (d) => (d.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true), /allowPrivilegeEscalation must be false/],
    ["writable root", (d) => (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false), /readOnlyRootFilesystem must be true/],
    ["capabilities kept", (d) => (d.spec.template.spec.containers[0].securityContext.capabilities = { drop: ["NET_RAW"] }), /drop must include ALL/],
    ["capability added", (d) => (d.spec.template.spec.containers[0].securityContext.capabilities.add = ["SYS_ADMIN"]), /SYS_ADMIN may not be added/],
    ["host network", (d) => (d.spec.template.spec.hostNetwork = true), /hostNetwork is not allowed/],
    ["hostPath volume", (d) => d.spec.template.spec.volumes.push({ name: "h", hostPath: { path: "/" } }), /type hostPath is not allowed/],
    ["no /tmp", (d) => (d.spec.template.spec.containers[0].volumeMounts = d.spec.template.spec.containers[0].volumeMounts.filter((m: Obj) => m.mountPath !== "/tmp")), /emptyDir volume mounted at \/tmp/],
    ["probe on a missing port", (d) => (d.spec.template.spec.containers[0].readinessProbe.httpGet.port = "metrics"), /readinessProbe port metrics is not a container port/],
    ["liveness on /readyz", (d) => (d.spec.template.spec.containers[0].livenessProbe.httpGet.path = "/readyz"), /livenessProbe must GET \/healthz/],
    ["no readiness probe", (d) => delete d.spec.template.spec.containers[0].readinessProbe, /readinessProbe must be an httpGet probe/],
    ["no limits", (d) => delete d.spec.template.spec.containers[0].resources.limits, /limits.cpu is missing/],
    ["too much memory", (d) => (d.spec.template.spec.containers[0].resources.requests.memory = "512Mi"), /memory request 512Mi is above 256Mi/],
    ["too much cpu", (d) => (d.spec.template.spec.containers[0].resources.requests.cpu = "0.5"), /cpu request 0.5 is above 250m/],
  ];
  breaks("inventory", podViolations, cases);

  const labelCases: Array<[string, (d: Obj) => void, RegExp]> = [
    ["selector not matching the template", (d) => (d.spec.selector.matchLabels["app.kubernetes.io/name"] = "inventry"), /does not match the pod template/],
    ["unstable label in the selector", (d) => (d.spec.selector.matchLabels["app.kubernetes.io/version"] = d.spec.template.metadata.labels["app.kubernetes.io/version"]), /not a stable label/],
    ["missing component label", (d) => delete d.spec.template.metadata.labels["app.kubernetes.io/component"], /lacks label app.kubernetes.io\/component/],
    ["version label not the image tag", (d) => (d.spec.template.spec.containers[0].image = d.spec.template.spec.containers[0].image.replace(/:[^:]+$/, ":abc1234")), /not the image tag abc1234/],
  ];
  breaks("pricing", labelViolations, labelCases);
});
