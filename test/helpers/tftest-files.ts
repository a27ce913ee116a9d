// The files the plan harness adds to a temporary copy of a module: offline
// provider settings, and one tests/_live_<env>_<unit>.tftest.hcl per
// Terragrunt unit with the provider block root.hcl generates, the unit's
// inputs as `variables`, overrides for the data sources that would call AWS,
// and a single `run` with `command = plan`.

import { dirname, join } from "node:path";
import { listFiles, parseFile, type Hcl } from "./hcl.ts";
import type { ResolvedUnit } from "./terragrunt.ts";

/** Settings that let the real provider plan with no credentials and no network. */
export const OFFLINE_SETTINGS = [
  'access_key                  = "plan-offline"',
  'secret_key                  = "plan-offline"',
  "skip_credentials_validation = true",
  "skip_requesting_account_id  = true",
  "skip_metadata_api_check     = true",
  "skip_region_validation      = true",
];

/** A default provider for a module's own tests that bring none. */
export const OFFLINE_PROVIDER = `provider "aws" {\n  region = "eu-west-1"\n${OFFLINE_SETTINGS.map((l) => `  ${l}`).join("\n")}\n}\n`;

/** Data sources the provider answers without calling AWS: never overridden. */
const LOCAL_DATA = new Set(["aws_region", "aws_partition", "aws_iam_policy_document", "aws_default_tags", "aws_arn", "aws_service_principal"]);

/** Values for data sources that call AWS; others get Terraform's generated values. */
function overrideValues(type: string, account: string, region: string): Record<string, unknown> {
  switch (type) {
    case "aws_caller_identity":
      return { account_id: account, arn: `arn:aws:iam::${account}:role/plan`, user_id: "AROAPLANOFFLINE", id: account };
    case "aws_ssm_parameter":
      return { value: "plan-offline-value", insecure_value: "plan-offline-value" };
    case "aws_eks_addon_version":
      return { version: "v0.0.0-eksbuild.1" };
    case "aws_availability_zones":
      return { names: [`${region}a`, `${region}b`, `${region}c`] };
    case "aws_lb":
      // modules/edge looks the Ingress's ALB up by name for its DNS alias.
      return { dns_name: `plan-offline-0000000000.${region}.elb.amazonaws.com`, zone_id: "Z0PLANOFFLINE0" };
    default:
      return {};
  }
}

/** HCL literal for a JSON value ("${" and "%{" escaped). */
export function hcl(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/([$%])\{/g, (_, c: string) => `${c}${c}{`);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[\n${value.map((v) => `${inner}${hcl(v, inner)},`).join("\n")}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? "{}" : `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} = ${hcl(v, inner)}`).join("\n")}\n${indent}}`;
}

/**
 * The provider block root.hcl generates, with the offline settings added.
 * allowed_account_ids is left out: the provider can only check it against
 * the caller's real account, which an offline plan does not have (the
 * first-apply checklist proves it with `aws sts get-caller-identity`).
 */
export function offlineProviderBlock(generated: string): string {
  const block = generated.replace(/^\s*allowed_account_ids\s*=.*\n/m, "");
  return block.replace(/^(provider\s+"aws"\s*\{\s*\n)/m, `$1${OFFLINE_SETTINGS.map((l) => `  ${l}`).join("\n")}\n`);
}

/** Data sources of the module's own .tf files, as [type, name]. */
async function dataSources(moduleDir: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const f of listFiles(moduleDir, /\.tf$/).filter((p) => dirname(p) === moduleDir)) {
    const h = await parseFile(f);
    for (const [type, byName] of Object.entries((h.data ?? {}) as Record<string, Hcl>)) for (const name of Object.keys(byName)) out.push([type, name]);
  }
  return out;
}

export async function unitTestFile(u: ResolvedUnit, moduleDir: string): Promise<string> {
  const providerText = Object.values(u.generated).find((c) => /^\s*provider\s+"aws"/m.test(c));
  const account = String((u.locals.account as Record<string, unknown> | undefined)?.account_id ?? "123456789012");
  const region = String((u.locals.region as Record<string, unknown> | undefined)?.aws_region ?? "eu-west-1");
  const overrides = (await dataSources(join(moduleDir)))
    .filter(([type]) => !LOCAL_DATA.has(type))
    .map(([type, name]) => `override_data {\n  target = data.${type}.${name}\n  values = ${hcl(overrideValues(type, account, region), "  ")}\n}\n`);
  return [
    `# live/${u.id}: the inputs Terragrunt passes, the provider root.hcl generates (offline).`,
    providerText ? offlineProviderBlock(providerText) : "",
    `variables {\n${Object.entries(u.values).map(([k, v]) => `  ${k} = ${hcl(v, "  ")}`).join("\n")}\n}\n`,
    ...overrides,
    `run "plan" {\n  command = plan\n}\n`,
  ].join("\n");
}
