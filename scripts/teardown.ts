// Tears an environment down: `terragrunt run --all destroy` in live/<env>.
//
//   npm run teardown -- --env dev              destroys dev (asks terragrunt to confirm)
//   npm run teardown -- --env dev --dry-run    prints the command, runs nothing
//
// Prod is refused unless STOCKPRICE_ALLOW_PROD_DESTROY=destroy-stockprice-prod
// is set in the environment, in as many words. Even then prod's queues, ECR
// repositories, log groups, tokens secret and state bucket guard carry prevent_destroy
// (live/prod/env.hcl): Terraform stops before deleting them until that is
// set to false and applied (docs/deploy-aws.md, "Deletion protection").
// Exit 2 on a bad or refused request, otherwise terragrunt's exit code.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

export const PROD_GUARD = { name: "STOCKPRICE_ALLOW_PROD_DESTROY", value: "destroy-stockprice-prod" } as const;
const ROOT = join(import.meta.dirname, "..");
const ENVS = ["dev", "prod"];

export interface Plan {
  /** argv of the command to run, or the reason it is refused. */
  command?: string[];
  cwd?: string;
  refused?: string;
}

export function teardownPlan(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, root = ROOT): Plan {
  let values: { env?: string; "dry-run"?: boolean };
  try {
    values = parseArgs({ args: [...argv], options: { env: { type: "string" }, "dry-run": { type: "boolean" } }, strict: true }).values;
  } catch (err) {
    return { refused: `${(err as Error).message} (usage: npm run teardown -- --env dev|prod [--dry-run])` };
  }
  if (!values.env || !ENVS.includes(values.env)) return { refused: `--env must be one of ${ENVS.join(" | ")}, got "${values.env ?? ""}"` };
  if (values.env === "prod" && env[PROD_GUARD.name] !== PROD_GUARD.value) {
    return { refused: `refusing to destroy prod: set ${PROD_GUARD.name}=${PROD_GUARD.value} to confirm (and read docs/deploy-aws.md, "Deletion protection")` };
  }
  const cwd = join(root, "live", values.env);
  if (!existsSync(cwd)) return { refused: `no live/${values.env} in ${root}` };
  return { command: ["terragrunt", "run", "--all", "destroy"], cwd };
}

function main(): number {
  const argv = process.argv.slice(2);
  const plan = teardownPlan(argv, process.env);
  if (!plan.command) {
    console.error(plan.refused);
    return 2;
  }
  console.log(`${plan.cwd}: ${plan.command.join(" ")}`);
  if (argv.includes("--dry-run")) return 0;
  const r = spawnSync(plan.command[0], plan.command.slice(1), { cwd: plan.cwd, stdio: "inherit" });
  if (r.error) {
    console.error(`cannot run ${plan.command[0]}: ${r.error.message}`);
    return 1;
  }
  return r.status ?? 1;
}

if (import.meta.main) process.exitCode = main();
