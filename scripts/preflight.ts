// Before any apply, with the engineer's own credentials: is everything an
// environment names real, and is every example value replaced?
//
//   npm run preflight -- --env dev|prod
//
// Checks, each printed with the file and line to fix:
// - the credentials' account (aws sts get-caller-identity) is account.hcl's;
// - the caller is not one of admin_role_arns or oncall_role_arns (EKS gives
//   the creator its own access entry; a second one fails with 409);
// - every role in admin_role_arns and oncall_role_arns exists (aws iam
//   get-role): an access entry for a missing role fails "principalArn is invalid";
// - no placeholder is left (scripts/preflight/placeholders.ts);
// - the state bucket stockprice-tfstate-<account>-<region> is free or this
//   account's (aws s3api head-bucket --expected-bucket-owner);
// - the inventory tokens secret, once the tokens unit created it, is not empty
//   (its value is never printed).
// Exit 0 when nothing is left, 1 while anything is, 2 on a usage error.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findPlaceholders, hclRoleArns, hclString, isExampleAccount, type Finding } from "./preflight/placeholders.ts";

const ENVS = ["dev", "prod"];
const ROOT = join(import.meta.dirname, "..");

export interface AwsResult {
  code: number;
  stdout: string;
  stderr: string;
}
export type Aws = (args: string[]) => AwsResult;

/** The `aws` found on PATH. */
export const awsCli: Aws = (args) => {
  const r = spawnSync("aws", args, { encoding: "utf8", env: process.env });
  if (r.error) return { code: 127, stdout: "", stderr: `cannot run aws: ${r.error.message}` };
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
};

export interface Report {
  problems: Finding[];
  notes: string[];
}

function firstLine(text: string): string {
  return text.trim().split("\n").find(Boolean)?.slice(0, 200) ?? "";
}

export function preflight(root: string, env: string, aws: Aws): Report {
  const problems: Finding[] = [];
  const notes: string[] = [];
  const at = (file: string, line?: number) => `live/${env}/${file}${line ? `:${line}` : ""}`;
  const accountText = readFileSync(join(root, "live", env, "account.hcl"), "utf8");
  const envText = readFileSync(join(root, "live", env, "env.hcl"), "utf8");
  const regionText = readFileSync(join(root, "live", env, "region.hcl"), "utf8");
  const account = hclString(accountText, "account_id");
  const region = hclString(regionText, "aws_region")?.value ?? "";
  const name = hclString(envText, "name")?.value ?? `stockprice-${env}`;

  problems.push(...findPlaceholders(root, env));

  // Who is calling.
  const who = aws(["sts", "get-caller-identity", "--output", "json"]);
  let callerArn = "";
  if (who.code !== 0) {
    problems.push({ where: "credentials", what: `aws sts get-caller-identity failed: ${firstLine(who.stderr)} (log in to the ${env} account first; the AWS checks did not run)` });
    return { problems, notes };
  }
  {
    const id = JSON.parse(who.stdout) as { Account?: string; Arn?: string };
    callerArn = id.Arn ?? "";
    if (!account) problems.push({ where: at("account.hcl"), what: "no account_id" });
    else if (id.Account !== account.value) problems.push({ where: at("account.hcl", account.line), what: `account_id is ${account.value}, but the credentials are account ${id.Account}: set your ${env} account id, or use that account's credentials` });
  }

  // The roles the access entries name.
  const entryArns = ["admin_role_arns", "oncall_role_arns"].flatMap((list) => hclRoleArns(envText, list).map((r) => ({ ...r, list })));
  const callerRole = /:assumed-role\/([^/]+)\//.exec(callerArn)?.[1] ?? /:role\/(?:.*\/)?([^/]+)$/.exec(callerArn)?.[1];
  for (const r of entryArns) {
    if (callerRole && r.arn.endsWith(`/${callerRole}`)) problems.push({ where: at("env.hcl", r.line), what: `${r.arn} is the role running this check: apply with a role outside ${r.list} (EKS already gives the cluster creator an admin entry; a second one fails with 409)` });
  }
  for (const r of entryArns) {
    const roleAccount = r.arn.split(":")[4];
    if (isExampleAccount(roleAccount)) continue; // reported as a placeholder
    if (account && roleAccount !== account.value) problems.push({ where: at("env.hcl", r.line), what: `${r.arn} is in account ${roleAccount}, not ${account.value}` });
    const roleName = r.arn.split("/").pop()!;
    const got = aws(["iam", "get-role", "--role-name", roleName, "--output", "json"]);
    if (got.code !== 0) problems.push({ where: at("env.hcl", r.line), what: `role ${r.arn} does not exist or cannot be read (${firstLine(got.stderr)}): an access entry for it would fail "principalArn is invalid"` });
  }

  // The state bucket root.hcl names.
  if (account && !isExampleAccount(account.value)) {
    const bucket = `stockprice-tfstate-${account.value}-${region}`;
    const head = aws(["s3api", "head-bucket", "--bucket", bucket, "--expected-bucket-owner", account.value]);
    if (head.code === 0) notes.push(`state bucket ${bucket} exists in this account`);
    else if (/\(404\)|Not Found|NoSuchBucket/.test(head.stderr)) notes.push(`state bucket ${bucket} is free: Terragrunt creates it on the first run`);
    else problems.push({ where: "live/root.hcl", what: `state bucket ${bucket} belongs to another account or cannot be read (${firstLine(head.stderr)}); bucket names are global` });
  }

  // The tokens secret: exists only after the tokens unit; then it must hold tokens.
  const secret = `${name}/inventory-api-tokens`;
  const described = aws(["secretsmanager", "describe-secret", "--secret-id", secret, "--output", "json"]);
  if (described.code !== 0 && !/ResourceNotFound/.test(described.stderr)) {
    problems.push({ where: `secret ${secret}`, what: `cannot read the tokens secret (${firstLine(described.stderr)})` });
  } else if (described.code !== 0) {
    notes.push(`tokens secret ${secret} does not exist yet: the tokens unit creates it; put the tokens before the first deploy (docs/deploy-aws.md, "Bootstrap, once per cluster")`);
  } else {
    const value = aws(["secretsmanager", "get-secret-value", "--secret-id", secret, "--query", "SecretString", "--output", "text"]);
    const tokens = value.code === 0 ? value.stdout.split("\n").map((t) => t.trim()).filter((t) => t !== "" && t !== "None") : [];
    if (tokens.length === 0) problems.push({ where: `secret ${secret}`, what: "the inventory tokens secret is empty: aws secretsmanager put-secret-value --secret-id ... --secret-string file://tokens (one token per line)" });
    else notes.push(`tokens secret ${secret} holds ${tokens.length} token(s)`);
  }
  return { problems, notes };
}

function main(): number {
  let values: { env?: string; root?: string };
  try {
    values = parseArgs({ args: process.argv.slice(2), options: { env: { type: "string" }, root: { type: "string" } }, strict: true }).values;
  } catch (err) {
    console.error(`${(err as Error).message} (usage: npm run preflight -- --env dev|prod)`);
    return 2;
  }
  if (!values.env || !ENVS.includes(values.env)) {
    console.error(`--env must be one of ${ENVS.join(" | ")}, got "${values.env ?? ""}" (usage: npm run preflight -- --env dev|prod)`);
    return 2;
  }
  const report = preflight(values.root ?? ROOT, values.env, awsCli);
  for (const n of report.notes) console.log(`ok    ${n}`);
  for (const p of report.problems) console.log(`FILL  ${p.where}: ${p.what}`);
  console.log(report.problems.length === 0 ? `preflight ${values.env}: nothing left to fill in` : `preflight ${values.env}: ${report.problems.length} thing(s) to fill in before the first apply`);
  return report.problems.length === 0 ? 0 : 1;
}

if (import.meta.filename === process.argv[1]) process.exitCode = main();
