// buildspec.yml and buildspec-promote.yml for the delivery tests: the
// CodeBuild project's variables with sample values, the parsed files, their
// commands, the render step's argv, and a scratch folder removed after the file.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { parse } from "yaml";
import { ROOT, type Obj } from "./manifests.ts";

/** The CodeBuild project's variables (modules/pipeline sets exactly these). */
export const PROJECT_VARIABLES = [
  "AWS_ACCOUNT_ID", "ECR_INVENTORY_URI", "ECR_PRICING_URI", "INVENTORY_ROLE_ARN", "PRICING_ROLE_ARN",
  "INVENTORY_QUEUE_URL", "PRICE_QUEUE_URL", "DEPLOY_ENV", "EKS_CLUSTER_NAME", "PRICING_CAPACITY", "PRICING_SCALING", "PRICING_POLICY",
  "INGRESS_SCHEME", "INGRESS_CERTIFICATE_ARN",
];
/** What CodeBuild and the shell set on their own. */
export const CODEBUILD_VARIABLES = ["AWS_REGION", "AWS_DEFAULT_REGION", "HOME", "PATH"];
export const CODEBUILD_PREFIX = /^CODEBUILD_/;

/** Sample values, as the project would set them. */
export const SAMPLE_ENV: Record<string, string> = {
  AWS_ACCOUNT_ID: "210987654321",
  ECR_INVENTORY_URI: "210987654321.dkr.ecr.eu-central-1.amazonaws.com/stockprice-inventory",
  ECR_PRICING_URI: "210987654321.dkr.ecr.eu-central-1.amazonaws.com/stockprice-pricing",
  INVENTORY_ROLE_ARN: "arn:aws:iam::210987654321:role/stockprice-dev-inventory",
  PRICING_ROLE_ARN: "arn:aws:iam::210987654321:role/stockprice-dev-pricing",
  INVENTORY_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/210987654321/inventory-update-queue",
  PRICE_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/210987654321/price-change-queue",
  // buildspec.yml is dev's (build, test, push); prod promotes with buildspec-promote.yml.
  DEPLOY_ENV: "dev",
  EKS_CLUSTER_NAME: "stockprice-dev",
  PRICING_CAPACITY: "spot",
  PRICING_SCALING: "keda",
  PRICING_POLICY: "live/dev/policy.yaml",
  INGRESS_SCHEME: "internet-facing",
  INGRESS_CERTIFICATE_ARN: "arn:aws:acm:eu-central-1:210987654321:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
  AWS_REGION: "eu-central-1",
  AWS_DEFAULT_REGION: "eu-central-1",
  CODEBUILD_RESOLVED_SOURCE_VERSION: "89abcdef0123456789abcdef0123456789abcdef",
};

/** A buildspec of the repository, parsed. */
export function readBuildspec(file: "buildspec.yml" | "buildspec-promote.yml"): Obj {
  return parse(readFileSync(join(ROOT, file), "utf8")) as Obj;
}

/** A scratch folder, removed when the test file is done. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The commands of one phase. */
export function commands(doc: Obj, phase: string): string[] {
  return ((doc.phases?.[phase]?.commands ?? []) as unknown[]).map(String);
}

export function renderArgv(doc: Obj, env: Record<string, string>): string[] {
  const cmd = Object.keys(doc.phases ?? {}).flatMap((p) => commands(doc, p)).find((c) => c.startsWith("npm run render -- "))!;
  const expanded = cmd.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, v: string) => env[v] ?? "");
  return [...expanded.slice("npm run render -- ".length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}
