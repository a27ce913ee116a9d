// Options of the render step: the flags, the CodeBuild variables each flag
// falls back to, placeholder values for local runs, and validation with
// messages that name the flag and what it allows.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { QUEUE_NAMES } from "../../src/shared/names.ts";
import { INGRESS_FLAGS, resolveIngress, type IngressOptions } from "./ingress.ts";

export const DEPLOY_ENVS = ["dev", "prod"] as const;
export const PRICING_CAPACITIES = ["spot", "fargate"] as const;
export const PRICING_SCALINGS = ["keda", "fixed"] as const;
export type DeployEnv = (typeof DEPLOY_ENVS)[number];
export type PricingCapacity = (typeof PRICING_CAPACITIES)[number];

/** Everything renderManifests needs, already validated. */
export interface RenderOptions {
  env: DeployEnv;
  inventoryImage: string;
  pricingImage: string;
  inventoryRoleArn: string;
  pricingRoleArn: string;
  inventoryQueueUrl: string;
  priceQueueUrl: string;
  region: string;
  pricingCapacity: PricingCapacity;
  keda: boolean;
  /** Text of the pricing policy YAML, copied into the pricing-policy ConfigMap. */
  policy: string;
  /** The inventory Ingress; undefined renders none (no --ingress-scheme). */
  ingress?: IngressOptions;
}

export interface CliOptions extends RenderOptions {
  policyFile: string;
  out: string;
  dryRun: boolean;
}

/** A bad or missing flag value; the CLI prints it and exits 2. */
export class UsageError extends Error {
  readonly flag: string;
  constructor(flag: string, message: string) {
    super(`${flag} ${message}`);
    this.name = "UsageError";
    this.flag = flag;
  }
}

export const ROOT = join(import.meta.dirname, "..", "..");
export const DEFAULT_POLICY = "examples/policy.yaml";
export const DEFAULT_OUT = "rendered";
export const OUTPUT_FILE = "manifests.yaml";
export const PLACEHOLDER_ACCOUNT = "123456789012";
export const PLACEHOLDER_REGION = "eu-west-1";

/**
 * The flags. `envVars` are the CodeBuild project's variables a flag falls back
 * to when it is not given (first one set wins); a flag always wins over them.
 */
export const FLAGS = {
  env: { flag: "--env", envVars: ["DEPLOY_ENV"], allowed: DEPLOY_ENVS.join(" | ") },
  inventoryImage: { flag: "--inventory-image", envVars: ["ECR_INVENTORY_URI"], allowed: "an image reference REGISTRY/REPOSITORY:TAG (or @sha256:DIGEST)" },
  pricingImage: { flag: "--pricing-image", envVars: ["ECR_PRICING_URI"], allowed: "an image reference REGISTRY/REPOSITORY:TAG (or @sha256:DIGEST)" },
  inventoryRoleArn: { flag: "--inventory-role-arn", envVars: ["INVENTORY_ROLE_ARN"], allowed: "an IAM role ARN arn:aws:iam::ACCOUNT:role/NAME" },
  pricingRoleArn: { flag: "--pricing-role-arn", envVars: ["PRICING_ROLE_ARN"], allowed: "an IAM role ARN arn:aws:iam::ACCOUNT:role/NAME" },
  inventoryQueueUrl: { flag: "--inventory-queue-url", envVars: ["INVENTORY_QUEUE_URL"], allowed: "an SQS queue URL https://sqs.REGION.amazonaws.com/ACCOUNT/NAME" },
  priceQueueUrl: { flag: "--price-queue-url", envVars: ["PRICE_QUEUE_URL"], allowed: "an SQS queue URL https://sqs.REGION.amazonaws.com/ACCOUNT/NAME" },
  region: { flag: "--region", envVars: ["AWS_REGION", "AWS_DEFAULT_REGION"], allowed: "an AWS region such as eu-west-1" },
  pricingCapacity: { flag: "--pricing-capacity", envVars: ["PRICING_CAPACITY"], allowed: PRICING_CAPACITIES.join(" | ") },
  pricingScaling: { flag: "--pricing-scaling", envVars: ["PRICING_SCALING"], allowed: `${PRICING_SCALINGS.join(" | ")} (keda: the ScaledObject, as --keda)` },
  // The pipeline passes live/<env>/policy.yaml (relative to the source root):
  // each environment prices from its own policy, never from the example.
  policyFile: { flag: "--policy", envVars: ["PRICING_POLICY"], allowed: "a readable YAML file" },
  out: { flag: "--out", envVars: [], allowed: "a directory" },
  ...INGRESS_FLAGS,
} as const;

export const BOOLEAN_FLAGS = { keda: "--keda", dryRun: "--dry-run", help: "--help" } as const;

export const USAGE = `Usage: npm run render -- [manifests] [flags]   (the telemetry objects: npm run render -- telemetry --help)

Renders manifests/ into <out>/${OUTPUT_FILE} for one environment.
Unset values fall back to the CodeBuild variable named in brackets, then to a
placeholder (account ${PLACEHOLDER_ACCOUNT}), so a local run needs no flags but --env.

${Object.values(FLAGS)
  .map((f) => `  ${f.flag.padEnd(22)} ${f.allowed}${f.envVars.length ? ` [${f.envVars.join(", ")}]` : ""}`)
  .join("\n")}
  --keda                 also render the KEDA ScaledObject (manifests/pricing/keda.yaml)
  --dry-run              print the files that would be written, write nothing
  --help                 this text

Defaults: --policy ${DEFAULT_POLICY}, --out ${DEFAULT_OUT}, --pricing-capacity spot.`;

export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const QUEUE_URL = /^https:\/\/([a-z0-9.-]+)\/(\d{12})\/([A-Za-z0-9_-]{1,75}(\.fifo)?)$/;
// registry[:port]/path[:tag][@sha256:hex]; the registry part is required.
const IMAGE = /^([a-z0-9.-]+(?::\d+)?)\/([a-z0-9]+(?:[._/-][a-z0-9]+)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;
// Kubernetes label values: up to 63 characters, alphanumeric at both ends.
const LABEL_VALUE = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

/** First 7 characters of the commit, as the buildspec tags the images. */
export function commitTag(sha: string): string {
  return sha.trim().slice(0, 7);
}

/** The version an image is labelled with: its tag, else a short digest. */
export function imageVersion(image: string): string {
  const m = IMAGE.exec(image);
  if (!m) throw new Error(`not an image reference: ${image}`);
  return m[3] ?? `sha256-${m[4]!.slice(7, 19)}`;
}

function checkImage(flag: string, allowed: string, image: string): string {
  const m = IMAGE.exec(image);
  if (!m) throw new UsageError(flag, `must be ${allowed}, got "${image}"`);
  if (m[3] === undefined && m[4] === undefined) throw new UsageError(flag, `must carry a tag or a digest, got "${image}"`);
  const version = imageVersion(image);
  if (!LABEL_VALUE.test(version)) {
    throw new UsageError(flag, `tag "${version}" must also be a Kubernetes label value (1-63 of A-Z a-z 0-9 _ . -, alphanumeric at both ends)`);
  }
  return image;
}

function checkQueueUrl(flag: string, allowed: string, url: string, region: string): string {
  const m = QUEUE_URL.exec(url);
  if (!m) throw new UsageError(flag, `must be ${allowed}, got "${url}"`);
  const host = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(m[1]);
  if (host && host[1] !== region) throw new UsageError(flag, `is in region ${host[1]} but --region is ${region}`);
  return url;
}

function oneOf<const V extends string>(flag: string, values: readonly V[], raw: string): V {
  if (!values.includes(raw as V)) throw new UsageError(flag, `must be one of ${values.join(" | ")}, got "${raw}"`);
  return raw as V;
}

/**
 * Prod runs only what dev built and tested: an image by digest, never by a
 * tag that could be pushed again (build once, promote by digest).
 */
export function promoted(env: DeployEnv, flag: string, image: string): string {
  if (env === "prod" && IMAGE.exec(image)?.[4] === undefined) {
    throw new UsageError(flag, `must name the image by digest in prod (REGISTRY/REPOSITORY@sha256:DIGEST, the digest dev pushed), got "${image}"`);
  }
  return image;
}

/** Digest of the placeholder images (prod needs a digest even locally). */
export const PLACEHOLDER_DIGEST = `sha256:${"0".repeat(64)}`;

/** Placeholder values for a local run, shaped like the real ones. */
export function placeholders(env: DeployEnv, region: string) {
  const registry = `${PLACEHOLDER_ACCOUNT}.dkr.ecr.${region}.amazonaws.com`;
  const queue = (name: string) => `https://sqs.${region}.amazonaws.com/${PLACEHOLDER_ACCOUNT}/${name}`;
  const role = (name: string) => `arn:aws:iam::${PLACEHOLDER_ACCOUNT}:role/stockprice-${env}-${name}`;
  return {
    inventoryImage: env === "prod" ? `${registry}/inventory@${PLACEHOLDER_DIGEST}` : `${registry}/inventory:${env}`,
    pricingImage: env === "prod" ? `${registry}/pricing@${PLACEHOLDER_DIGEST}` : `${registry}/pricing:${env}`,
    inventoryRoleArn: role("inventory"),
    pricingRoleArn: role("pricing"),
    inventoryQueueUrl: queue(QUEUE_NAMES.inventory),
    priceQueueUrl: queue(QUEUE_NAMES.price),
  };
}

type Env = Readonly<Record<string, string | undefined>>;
type ValueKey = keyof typeof FLAGS;

/** True when argv asks for the usage text. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

function parseFlags(argv: readonly string[]): Record<string, string | boolean | undefined> {
  const known = [...Object.values(FLAGS).map((f) => f.flag), ...Object.values(BOOLEAN_FLAGS)];
  for (const arg of argv) {
    const name = arg.split("=", 1)[0];
    if (arg.startsWith("-") && !known.includes(name as (typeof known)[number])) {
      throw new UsageError(name, `is not a flag (allowed: ${known.join(", ")})`);
    }
  }
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.values(FLAGS).map((f) => [f.flag.slice(2), { type: "string" as const }])),
        keda: { type: "boolean" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean" },
      },
    }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    // Node's messages name the option, e.g. "Option '--env <value>' argument missing".
    const message = err instanceof Error ? err.message : String(err);
    const flag = /(--[\w-]+)/.exec(message)?.[1];
    if (flag) throw new UsageError(flag, `cannot be parsed: ${message}`);
    const stray = /argument '([^']*)'/.exec(message)?.[1] ?? "?";
    throw new UsageError(`"${stray}"`, "is not a flag; every value follows its flag, e.g. --env dev");
  }
}

/**
 * Resolves the command line and the environment into validated options.
 * Each value comes from its flag, else from the CodeBuild variable(s) in
 * FLAGS, else from a placeholder. Throws UsageError naming the flag.
 */
export function resolveOptions(argv: readonly string[], env: Env, cwd = process.cwd()): CliOptions {
  const parsed = parseFlags(argv);

  const fromFlag = (key: ValueKey): string | undefined => {
    const f = FLAGS[key];
    const given = parsed[f.flag.slice(2)];
    if (typeof given !== "string") return undefined;
    if (given.trim() === "") throw new UsageError(f.flag, `must not be empty (${f.allowed})`);
    return given.trim();
  };
  const fromEnv = (key: ValueKey): string | undefined => {
    for (const name of FLAGS[key].envVars) {
      const v = env[name];
      if (v !== undefined && v.trim() !== "") return v.trim();
    }
    return undefined;
  };
  const value = (key: ValueKey) => fromFlag(key) ?? fromEnv(key);

  const envRaw = value("env");
  if (envRaw === undefined) throw new UsageError(FLAGS.env.flag, `is required (${FLAGS.env.allowed}; or set ${FLAGS.env.envVars.join(", ")})`);
  const deployEnv = oneOf(FLAGS.env.flag, DEPLOY_ENVS, envRaw);

  const region = value("region") ?? PLACEHOLDER_REGION;
  if (!REGION.test(region)) throw new UsageError(FLAGS.region.flag, `must be ${FLAGS.region.allowed}, got "${region}"`);
  const fallback = placeholders(deployEnv, region);

  /** The flag as given; else ECR_*_URI, tagged with the commit unless it has a tag; else a placeholder. */
  const image = (key: "inventoryImage" | "pricingImage"): string => {
    const f = FLAGS[key];
    const given = fromFlag(key);
    if (given !== undefined) return checkImage(f.flag, f.allowed, given);
    const uri = fromEnv(key);
    if (uri === undefined) return fallback[key];
    const m = IMAGE.exec(uri);
    if (m && (m[3] !== undefined || m[4] !== undefined)) return checkImage(f.flag, f.allowed, uri);
    const sha = env.CODEBUILD_RESOLVED_SOURCE_VERSION?.trim();
    if (!sha) throw new UsageError(f.flag, `is unset and ${f.envVars[0]} (${uri}) has no tag: set CODEBUILD_RESOLVED_SOURCE_VERSION or give ${f.flag}`);
    return checkImage(f.flag, f.allowed, `${uri}:${commitTag(sha)}`);
  };

  const roleArn = (key: "inventoryRoleArn" | "pricingRoleArn"): string => {
    const v = value(key) ?? fallback[key];
    if (!ROLE_ARN.test(v)) throw new UsageError(FLAGS[key].flag, `must be ${FLAGS[key].allowed}, got "${v}"`);
    return v;
  };

  const queueUrl = (key: "inventoryQueueUrl" | "priceQueueUrl"): string =>
    checkQueueUrl(FLAGS[key].flag, FLAGS[key].allowed, value(key) ?? fallback[key], region);

  const policyFile = resolve(cwd, value("policyFile") ?? join(ROOT, DEFAULT_POLICY));
  let policy: string;
  try {
    policy = readFileSync(policyFile, "utf8");
  } catch (err) {
    throw new UsageError(FLAGS.policyFile.flag, `must be ${FLAGS.policyFile.allowed}: cannot read ${policyFile} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    const doc: unknown = parseYaml(policy);
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new Error("the document is not a mapping");
  } catch (err) {
    throw new UsageError(FLAGS.policyFile.flag, `must be ${FLAGS.policyFile.allowed}: ${policyFile}: ${(err as Error).message.split("\n")[0]}`);
  }

  const ingress = resolveIngress(value, region, (flag, message) => {
    throw new UsageError(flag, message);
  });

  return {
    env: deployEnv,
    region,
    ingress,
    inventoryImage: promoted(deployEnv, FLAGS.inventoryImage.flag, image("inventoryImage")),
    pricingImage: promoted(deployEnv, FLAGS.pricingImage.flag, image("pricingImage")),
    inventoryRoleArn: roleArn("inventoryRoleArn"),
    pricingRoleArn: roleArn("pricingRoleArn"),
    inventoryQueueUrl: queueUrl("inventoryQueueUrl"),
    priceQueueUrl: queueUrl("priceQueueUrl"),
    pricingCapacity: oneOf(FLAGS.pricingCapacity.flag, PRICING_CAPACITIES, value("pricingCapacity") ?? "spot"),
    keda: parsed.keda === true || oneOf(FLAGS.pricingScaling.flag, PRICING_SCALINGS, value("pricingScaling") ?? "fixed") === "keda",
    policy,
    policyFile,
    out: resolve(cwd, value("out") ?? DEFAULT_OUT),
    dryRun: parsed["dry-run"] === true,
  };
}
