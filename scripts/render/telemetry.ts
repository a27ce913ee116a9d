// Renders telemetry/ into observability.yaml: Fargate's log router
// configuration (aws-observability / aws-logging), the metrics collector and,
// with pricing on Spot nodes, their Fluent Bit. These objects live outside
// the services' namespace, so the pipeline's EKS deploy action (which applies
// manifests.yaml into one namespace) does not apply them: an operator does,
// once per cluster and after each change (docs/deploy-aws.md).
//
// The names below are the ones modules/observability and modules/eks create
// and grant; test/infra/telemetry.test.ts fails if the two drift apart.
// Its flags (`npm run render -- telemetry --help`) are at the end.

import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { K8S } from "../../src/shared/names.ts";
import type { K8sObject } from "./k8s.ts";
import { fill, loadTemplates, MANIFEST_DIR } from "./manifests.ts";
import { DEFAULT_OUT, DEPLOY_ENVS, PLACEHOLDER_ACCOUNT, PLACEHOLDER_REGION, PRICING_CAPACITIES, REGION, ROLE_ARN, ROOT, UsageError, type DeployEnv, type PricingCapacity } from "./options.ts";

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

const TELEMETRY_FLAGS = {
  env: { envVars: ["DEPLOY_ENV"], allowed: DEPLOY_ENVS.join(" | ") },
  region: { envVars: ["AWS_REGION", "AWS_DEFAULT_REGION"], allowed: "an AWS region such as eu-west-1" },
  "pricing-capacity": { envVars: ["PRICING_CAPACITY"], allowed: PRICING_CAPACITIES.join(" | ") },
  "cluster-name": { envVars: ["EKS_CLUSTER_NAME"], allowed: "the EKS cluster's name (default stockprice-<env>)" },
  "collector-role-arn": { envVars: ["COLLECTOR_ROLE_ARN"], allowed: "an IAM role ARN (observability output collector_role_arn)" },
  "fluent-bit-role-arn": { envVars: ["FLUENT_BIT_ROLE_ARN"], allowed: "an IAM role ARN (observability output fluent_bit_role_arn)" },
  out: { envVars: [], allowed: "a directory" },
} as const;
type Flag = keyof typeof TELEMETRY_FLAGS;

export const TELEMETRY_USAGE = `Usage: npm run render -- telemetry [flags]   (or npm run render:telemetry -- [flags])

Renders telemetry/ into <out>/${TELEMETRY_FILE}: the aws-logging ConfigMap, the
metrics collector and (pricing on Spot) the nodes' Fluent Bit.

${Object.entries(TELEMETRY_FLAGS)
  .map(([f, d]) => `  --${f.padEnd(20)} ${d.allowed}${d.envVars.length ? ` [${d.envVars.join(", ")}]` : ""}`)
  .join("\n")}
  --help                 this text

Defaults: --region ${PLACEHOLDER_REGION}, --pricing-capacity spot, --out ${DEFAULT_OUT}.`;

const CLUSTER = /^[a-z0-9][a-z0-9-]{1,40}$/;

export function resolveTelemetryOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): TelemetryOptions & { out: string } {
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: Object.fromEntries(Object.keys(TELEMETRY_FLAGS).map((f) => [f, { type: "string" as const }])) }).values;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(/(--[\w-]+)/.exec(message)?.[1] ?? "flags", `cannot be parsed: ${message.split("\n")[0]} (allowed: ${Object.keys(TELEMETRY_FLAGS).map((f) => `--${f}`).join(", ")})`);
  }
  const value = (f: Flag): string | undefined => {
    const given = parsed[f];
    if (typeof given === "string") {
      if (given.trim() === "") throw new UsageError(`--${f}`, `must not be empty (${TELEMETRY_FLAGS[f].allowed})`);
      return given.trim();
    }
    for (const name of TELEMETRY_FLAGS[f].envVars) if (env[name]?.trim()) return env[name]!.trim();
    return undefined;
  };
  const check = (f: Flag, v: string, ok: boolean): string => {
    if (!ok) throw new UsageError(`--${f}`, `must be ${TELEMETRY_FLAGS[f].allowed}, got "${v}"`);
    return v;
  };

  const rawEnv = value("env");
  if (rawEnv === undefined) throw new UsageError("--env", `is required (${TELEMETRY_FLAGS.env.allowed}; or set DEPLOY_ENV)`);
  const deployEnv = check("env", rawEnv, (DEPLOY_ENVS as readonly string[]).includes(rawEnv)) as DeployEnv;
  const region = value("region") ?? PLACEHOLDER_REGION;
  check("region", region, REGION.test(region));
  const capacity = value("pricing-capacity") ?? "spot";
  check("pricing-capacity", capacity, (PRICING_CAPACITIES as readonly string[]).includes(capacity));
  const cluster = value("cluster-name") ?? clusterName(deployEnv);
  check("cluster-name", cluster, CLUSTER.test(cluster));
  const roles = telemetryNames(cluster).roleNames;
  const role = (f: "collector-role-arn" | "fluent-bit-role-arn", name: string) => {
    const v = value(f) ?? `arn:aws:iam::${PLACEHOLDER_ACCOUNT}:role/${name}`;
    return check(f, v, ROLE_ARN.test(v));
  };
  return {
    env: deployEnv,
    region,
    pricingCapacity: capacity as PricingCapacity,
    cluster,
    collectorRoleArn: role("collector-role-arn", roles.collector),
    fluentBitRoleArn: role("fluent-bit-role-arn", roles.fluentBit),
    out: resolve(cwd, value("out") ?? DEFAULT_OUT),
  };
}
