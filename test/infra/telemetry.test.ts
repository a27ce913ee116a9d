// The log and metrics path, offline: the rendered telemetry objects against
// Fargate's rules and the Kubernetes schemas, and every name they share with
// Terraform (log groups, namespaces, ServiceAccounts, metric names).

import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigMap, Namespace, ServiceAccount } from "kubernetes-models/v1";
import { DaemonSet, Deployment } from "kubernetes-models/apps/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { parse as parseYaml } from "yaml";
import { renderManifests } from "../../scripts/render.ts";
import { clusterName, telemetryNames } from "../../scripts/render/telemetry.ts";
import { K8S } from "../../src/shared/names.ts";
import { baseOptions } from "../helpers/manifests.ts";
import { ROOT } from "../helpers/infra-checks.ts";
import { awsLoggingProblems, exportedMetrics, metricTieProblems, nameTieProblems, render, retentionAndActionProblems, spotFluentBitProblems, unbornAlarmSeries } from "../helpers/telemetry-checks.ts";

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "apps/v1/Deployment": Deployment,
  "apps/v1/DaemonSet": DaemonSet,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
};

test("every telemetry object validates against the Kubernetes API schema", () => {
  for (const capacity of ["spot", "fargate"] as const) {
    const objects = render(ROOT, "prod", capacity);
    assert.ok(objects.length >= 8);
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      assert.ok(Model, `no schema for ${o.apiVersion}/${o.kind}`);
      new Model(o).validate();
    }
  }
});

test("the aws-logging ConfigMap is valid for Fargate and writes each service to its Terraform group", () => {
  const groups = telemetryNames(clusterName("dev")).logGroups;
  assert.deepEqual(groups, { inventory: "/stockprice-dev/inventory", pricing: "/stockprice-dev/pricing" });
  assert.deepEqual(awsLoggingProblems(render(ROOT, "dev"), groups), []);
});

test("the Spot nodes' Fluent Bit tails only pricing and writes the pricing group; rendered only for spot", () => {
  const groups = telemetryNames(clusterName("prod")).logGroups;
  assert.deepEqual(spotFluentBitProblems(render(ROOT, "prod", "spot"), groups), []);
  assert.equal(render(ROOT, "prod", "fargate").some((o) => o.kind === "DaemonSet"), false, "with pricing on Fargate the log router covers it");
});

test("names shared with Terraform agree in both environments", async () => {
  assert.deepEqual(await nameTieProblems(ROOT), []);
});

test("every service metric Terraform alarms on or charts is exported by a service and sent by the collector", async () => {
  assert.ok(exportedMetrics().has("inventory_http_requests_total"), "the registries were read");
  assert.deepEqual(await metricTieProblems(ROOT), []);
});

test("every series a count alarm watches exists at 0 before the first failure, so the exporter's dropped first value is 0", async () => {
  assert.deepEqual(await unbornAlarmSeries(ROOT), []);
});

test("the collector derives status_class, which the 5xx alarm adds up", () => {
  const cm = render(ROOT).find((o) => o.metadata.name === "metrics-collector" && o.kind === "ConfigMap") as any;
  const config = parseYaml(cm.data["collector.yaml"]);
  const rules = config.receivers.prometheus.config.scrape_configs[0].metric_relabel_configs as any[];
  assert.deepEqual(rules.filter((r) => r.target_label === "status_class").map((r) => [r.regex, r.replacement]), [["2..", "2xx"], ["4..", "4xx"], ["5..", "5xx"]]);
});

test("both services' pods are annotated for scraping on their http port", () => {
  for (const o of renderManifests(baseOptions()).filter((x) => x.kind === "Deployment")) {
    const tpl = (o as any).spec.template;
    const port = tpl.spec.containers[0].ports.find((p: any) => p.name === "http").containerPort;
    assert.equal(tpl.metadata.annotations["prometheus.io/scrape"], "true", o.metadata.name);
    assert.equal(tpl.metadata.annotations["prometheus.io/port"], String(port), o.metadata.name);
    assert.equal(port, K8S[o.metadata.name as "inventory" | "pricing"].port);
  }
});

test("in every module, every log group has a retention and every alarm its alarm and OK actions", async () => {
  assert.deepEqual(await retentionAndActionProblems(ROOT), []);
});
