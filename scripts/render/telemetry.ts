// Renders telemetry/ into observability.yaml: Fargate's log router
// configuration (aws-observability / aws-logging), the metrics collector and,
// with pricing on Spot nodes, their Fluent Bit. These objects live outside
// the services' namespace, so the pipeline's EKS deploy action (which applies
// manifests.yaml into one namespace) does not apply them: an operator does,
// once per cluster and after each change (docs/deploy-aws.md).
//
// The names below are the ones modules/observability and modules/eks create
// and grant; test/infra/telemetry.test.ts fails if the two drift apart.

import { createHash } from "node:crypto";
import { join } from "node:path";
import { K8S } from "../../src/shared/names.ts";
import { fill, loadTemplates, MANIFEST_DIR, type K8sObject } from "./manifests.ts";
import { ROOT, type DeployEnv, type PricingCapacity } from "./options.ts";

export const TELEMETRY_DIR = join(ROOT, "telemetry");
export const TELEMETRY_FILE = "observability.yaml";
/** Only rendered with pricing on Spot nodes; on Fargate the log router covers pricing. */
export const SPOT_ONLY_TEMPLATE = "fluent-bit.yaml";
/** Fargate's log router accepts at most this many characters in aws-logging. */
export const AWS_LOGGING_MAX_CHARS = 5300;

export const SERVICES = [K8S.inventory.name, K8S.pricing.name] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The environment's name: the cluster's name and every resource's prefix (live/<env>/env.hcl). */
export function clusterName(env: DeployEnv): string {
  return `stockprice-${env}`;
}

/** Every name the rendered objects share with Terraform. */
export function telemetryNames(cluster: string) {
  return {
    logGroups: Object.fromEntries(SERVICES.map((s) => [s, `/${cluster}/${s}`])) as Record<ServiceName, string>,
    metricsLogGroup: `/${cluster}/metrics`,
    metricsNamespace: "Stockprice",
    telemetryNamespace: "stockprice-telemetry",
    collectorServiceAccount: "metrics-collector",
    fluentBitServiceAccount: "fluent-bit",
    roleNames: { collector: `${cluster}-collector`, fluentBit: `${cluster}-fluent-bit` },
  };
}

export interface TelemetryOptions {
  env: DeployEnv;
  region: string;
  pricingCapacity: PricingCapacity;
  /** Defaults to clusterName(env). */
  cluster?: string;
  collectorRoleArn: string;
  fluentBitRoleArn: string;
}

function digest(o: K8sObject | undefined): string {
  return createHash("sha256").update(JSON.stringify(o?.data ?? null)).digest("hex");
}

const ORDER = ["Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Deployment", "DaemonSet"];

/**
 * The objects of observability.yaml, in apply order. The services' Namespace
 * (manifests/namespace.yaml) comes along: the collector's Role lives in it,
 * and this file may be applied before the pipeline's first deploy.
 */
export function renderTelemetry(o: TelemetryOptions, dir = TELEMETRY_DIR): K8sObject[] {
  const n = telemetryNames(o.cluster ?? clusterName(o.env));
  const values: Record<string, string> = {
    AWS_REGION: o.region,
    SERVICE_NAMESPACE: K8S.namespace,
    TELEMETRY_NAMESPACE: n.telemetryNamespace,
    INVENTORY_LOG_GROUP: n.logGroups.inventory,
    PRICING_LOG_GROUP: n.logGroups.pricing,
    METRICS_LOG_GROUP: n.metricsLogGroup,
    METRICS_NAMESPACE: n.metricsNamespace,
    COLLECTOR_SERVICE_ACCOUNT: n.collectorServiceAccount,
    FLUENT_BIT_SERVICE_ACCOUNT: n.fluentBitServiceAccount,
    COLLECTOR_ROLE_ARN: o.collectorRoleArn,
    FLUENT_BIT_ROLE_ARN: o.fluentBitRoleArn,
  };
  const templates = loadTemplates(dir).filter((t) => o.pricingCapacity === "spot" || t.file !== SPOT_ONLY_TEMPLATE);
  const services = loadTemplates(MANIFEST_DIR).filter((t) => t.file === "namespace.yaml");
  const docs = [...services, ...templates].flatMap((t) => t.docs.map((d) => ({ file: t.file, d })));
  // ConfigMaps first, so each workload carries a digest of its configuration.
  const configMaps = docs.filter((x) => x.d.kind === "ConfigMap").map((x) => fill(x.d, values, `telemetry/${x.file}`));
  values.COLLECTOR_CONFIG_SHA256 = digest(configMaps.find((c) => c.metadata.name === "metrics-collector"));
  values.FLUENT_BIT_CONFIG_SHA256 = digest(configMaps.find((c) => c.metadata.name === "fluent-bit"));
  const objects = [...configMaps, ...docs.filter((x) => x.d.kind !== "ConfigMap").map((x) => fill(x.d, values, `telemetry/${x.file}`))];
  for (const obj of objects) if (!ORDER.includes(obj.kind)) throw new Error(`telemetry: kind ${obj.kind} has no place in the apply order`);
  return objects.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}
