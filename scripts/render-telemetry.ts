// Renders the cluster's telemetry objects into <out>/observability.yaml
// (scripts/render/telemetry.ts says what and why). Applied by an operator,
// not by the pipeline:
//
//   npm run render:telemetry -- --env prod --region eu-west-1 \
//     --collector-role-arn "$(terragrunt output -raw collector_role_arn)" \
//     --fluent-bit-role-arn "$(terragrunt output -raw fluent_bit_role_arn)"
//   kubectl apply -f rendered/observability.yaml
//
// Unset values fall back to the variables in brackets in --help, then to
// placeholders. Exit 2 on a bad flag, naming it.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { toYaml } from "./render/manifests.ts";
import { DEFAULT_OUT, DEPLOY_ENVS, PLACEHOLDER_ACCOUNT, PLACEHOLDER_REGION, PRICING_CAPACITIES, UsageError, type DeployEnv, type PricingCapacity } from "./render/options.ts";
import { clusterName, renderTelemetry, TELEMETRY_FILE, telemetryNames, type TelemetryOptions } from "./render/telemetry.ts";

const FLAGS = {
  env: { envVars: ["DEPLOY_ENV"], allowed: DEPLOY_ENVS.join(" | ") },
  region: { envVars: ["AWS_REGION", "AWS_DEFAULT_REGION"], allowed: "an AWS region such as eu-west-1" },
  "pricing-capacity": { envVars: ["PRICING_CAPACITY"], allowed: PRICING_CAPACITIES.join(" | ") },
  "cluster-name": { envVars: ["EKS_CLUSTER_NAME"], allowed: "the EKS cluster's name (default stockprice-<env>)" },
  "collector-role-arn": { envVars: ["COLLECTOR_ROLE_ARN"], allowed: "an IAM role ARN (observability output collector_role_arn)" },
  "fluent-bit-role-arn": { envVars: ["FLUENT_BIT_ROLE_ARN"], allowed: "an IAM role ARN (observability output fluent_bit_role_arn)" },
  out: { envVars: [], allowed: "a directory" },
} as const;
type Flag = keyof typeof FLAGS;

export const USAGE = `Usage: npm run render:telemetry -- [flags]

Renders telemetry/ into <out>/${TELEMETRY_FILE}: the aws-logging ConfigMap, the
metrics collector and (pricing on Spot) the nodes' Fluent Bit.

${Object.entries(FLAGS)
  .map(([f, d]) => `  --${f.padEnd(20)} ${d.allowed}${d.envVars.length ? ` [${d.envVars.join(", ")}]` : ""}`)
  .join("\n")}
  --help                 this text

Defaults: --region ${PLACEHOLDER_REGION}, --pricing-capacity spot, --out ${DEFAULT_OUT}.`;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const CLUSTER = /^[a-z0-9][a-z0-9-]{1,40}$/;

export function resolveTelemetryOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): TelemetryOptions & { out: string } {
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: "string" as const }])) }).values;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(/(--[\w-]+)/.exec(message)?.[1] ?? "flags", `cannot be parsed: ${message.split("\n")[0]} (allowed: ${Object.keys(FLAGS).map((f) => `--${f}`).join(", ")})`);
  }
  const value = (f: Flag): string | undefined => {
    const given = parsed[f];
    if (typeof given === "string") {
      if (given.trim() === "") throw new UsageError(`--${f}`, `must not be empty (${FLAGS[f].allowed})`);
      return given.trim();
    }
    for (const name of FLAGS[f].envVars) if (env[name]?.trim()) return env[name]!.trim();
    return undefined;
  };
  const check = (f: Flag, v: string, ok: boolean): string => {
    if (!ok) throw new UsageError(`--${f}`, `must be ${FLAGS[f].allowed}, got "${v}"`);
    return v;
  };

  const rawEnv = value("env");
  if (rawEnv === undefined) throw new UsageError("--env", `is required (${FLAGS.env.allowed}; or set DEPLOY_ENV)`);
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

export function main(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let o: ReturnType<typeof resolveTelemetryOptions>;
  try {
    o = resolveTelemetryOptions(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`render:telemetry: ${err.message}\nRun with --help for every flag.`);
    return 2;
  }
  const objects = renderTelemetry(o);
  const header = [
    "Rendered by scripts/render-telemetry.ts from telemetry/ - do not edit; change the templates.",
    `env=${o.env} cluster=${o.cluster} region=${o.region} pricing-capacity=${o.pricingCapacity}`,
    "Apply with kubectl apply -f (not through the pipeline: it spans namespaces).",
  ].join("\n");
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, TELEMETRY_FILE), toYaml(objects, header));
  console.log(`render:telemetry: wrote ${join(o.out, TELEMETRY_FILE)} (${objects.length} objects)`);
  return 0;
}

if (import.meta.filename === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`render:telemetry: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
