// The apply tier: every unit of live/<env> applied against moto
// (test/helpers/moto.ts) as `terragrunt run --all apply` would, in the order
// the dependency blocks give, each unit with the inputs Terragrunt passes
// (terragrunt.ts, with the real outputs of the units applied before it
// instead of mock_outputs), the files root.hcl and _envcommon generate, and
// the generated provider pointed at moto. After each apply a second plan
// must report no changes; at the end every unit is destroyed in reverse
// order (prod's prevent_destroy overrides must refuse first, then they are
// dropped). Independent units run in parallel. State is local, one
// directory per unit; the state buckets exist in moto as Terragrunt's
// backend bootstrap would create them.

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { listFiles, parseFile } from "./hcl.ts";
import { run, type Ran } from "./terraform-cli.ts";
import { initArgs, providersNeeded, siblingsCalled, withSource, type ProviderSource } from "./terraform.ts";
import { resolveUnits, type ResolvedUnit } from "./terragrunt.ts";
import { LEFT_OUT } from "../apply/left-out.ts";
import { AFTER_FIRST_DEPLOY, type DeployedUnit } from "./after-deploy.ts";

/** Every AWS service the modules call, as the provider's endpoints block names it. */
export const SERVICES = [
  "acm", "budgets", "cloudwatch", "codebuild", "codeconnections", "codepipeline", "ec2", "ecr", "eks", "elbv2", "events",
  "iam", "kms", "logs", "route53", "s3", "secretsmanager", "sns", "sqs", "ssm", "sts", "wafv2",
];

/**
 * Modules whose AWS names outlive their destroy: where nothing protects them
 * (dev), each is applied again right after its destroy, as an apply after a
 * teardown would, and destroyed again. Module => what keeps the name.
 */
export const AGAIN_AFTER_DESTROY: Record<string, string> = {
  tokens: "Secrets Manager keeps a deleted secret's name for its recovery window (moto too)",
};

export interface UnitApply {
  id: string;
  module: string;
  /** Why the unit is not applied (a Helm unit), when it is not. */
  skipped?: string;
  /** Failure of a step, with terraform's output. */
  error?: string;
  applied?: number;
  /** Second plan: undefined until run, "" when clean, else the diff. */
  replan?: string;
  /** prod: the destroy with the prevent_destroy overrides in place refused (terraform's message). */
  refused?: string;
  /** Resources left in state after the destroy (0 when it worked). */
  remaining?: number;
  destroyed?: boolean;
  /** AGAIN_AFTER_DESTROY units: "" when the apply right after the destroy worked, else its error. */
  again?: string;
  /** AFTER_FIRST_DEPLOY units: "" when the second apply, its plan and its check worked, else what did not. */
  afterDeploy?: string;
  leftOut: string[];
  seconds: number;
  /** Seconds per step (apply, plan, destroy, ...). */
  steps: Record<string, number>;
}

export interface ApplyRun {
  units: Map<string, UnitApply>;
  seconds: number;
}

/** The provider block root.hcl generates, pointed at moto, which answers as the account named in the access key (test/apply/moto_server.py). */
export function motoProviderBlock(generated: string, account: string, endpoint: string): string {
  const settings = [
    `access_key                  = "AKIA${account}MOTO"`,
    'secret_key                  = "moto"',
    "skip_metadata_api_check     = true",
    "s3_use_path_style           = true",
    "endpoints {",
    ...SERVICES.map((s) => `  ${s.padEnd(15)} = "${endpoint}"`),
    "}",
  ];
  return generated.replace(/^(provider\s+"aws"\s*\{\s*\n)/m, `$1${settings.map((l) => `  ${l}`).join("\n")}\n`);
}

/** Resource addresses of a module (type.name), for `-target` of all but the left-out ones. */
async function resourceAddresses(moduleDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of listFiles(moduleDir, /\.tf$/).filter((p) => dirname(p) === moduleDir)) {
    const h = await parseFile(f);
    for (const [type, byName] of Object.entries((h.resource ?? {}) as Record<string, object>)) for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  }
  return out.sort();
}

interface Ctx {
  root: string;
  work: string;
  env: NodeJS.ProcessEnv;
  source: ProviderSource;
  endpoint: string;
  outputs: Map<string, Record<string, unknown>>;
  /** Initialised .terraform of a module, copied into each of its units. */
  inits: Map<string, Promise<string>>;
  /** What an AFTER_FIRST_DEPLOY step made, removed after its unit's destroy. */
  cleanups: Map<string, () => void>;
}

/**
 * One terraform step may take this long: SQS waits about 25 s for each
 * attribute to propagate (the provider reads it back until it is stable),
 * and on a busy 2-core machine a queue unit's apply has taken over 3 minutes.
 */
const STEP_TIMEOUT_MS = 600_000;

const tf = async (ctx: Ctx, dir: string, args: string[], r?: UnitApply): Promise<Ran> => {
  const t0 = performance.now();
  const out = await run([...args, "-no-color"], dir, ctx.env, STEP_TIMEOUT_MS);
  if (r) r.steps[args[0]] = (r.steps[args[0]] ?? 0) + (performance.now() - t0) / 1000;
  return out;
};
/** terraform's errors, and the end of its output (what it was still waiting for when it was stopped). */
const failed = (step: string, r: Ran) =>
  `${step} ${r.code === null ? `was stopped after ${STEP_TIMEOUT_MS / 1000} s` : `exited ${r.code}`}:\n${r.stderr.slice(0, 6000)}\n${r.stdout.split("\n").filter((l) => /Still|Creating|Destroying|Modifying|Error|complete after/.test(l)).slice(-15).join("\n")}`;

/** What a plan with changes would change (its resource lines). */
const planDiff = (plan: Ran) =>
  plan.stdout
    .split("\n")
    .filter((l) => /^\s+[~+-]|must be replaced|will be (updated|created|destroyed)/.test(l))
    .join("\n")
    .slice(0, 6000);

/** Copies modules/<module> to dir, and beside it each sibling module it calls as "../<name>" (as Terragrunt's "modules//<name>" source does). */
async function copyModule(ctx: Ctx, module: string, dir: string): Promise<void> {
  const copy = (from: string, to: string) => cpSync(from, to, { recursive: true, filter: (f) => !f.includes(".terraform") && !f.includes("/tests") });
  copy(join(ctx.root, "modules", module), dir);
  for (const sibling of await siblingsCalled(join(ctx.root, "modules", module))) copy(join(ctx.root, "modules", sibling), join(dirname(dir), sibling));
}

/** One `terraform init` per module, shared by its units (dev and prod). */
function moduleInit(ctx: Ctx, u: ResolvedUnit): Promise<string> {
  let p = ctx.inits.get(u.module);
  if (!p) {
    p = (async () => {
      const dir = join(ctx.work, "_init", u.module);
      await copyModule(ctx, u.module, dir);
      for (const [path, contents] of Object.entries(u.generated)) if (path.startsWith("versions")) writeFileSync(join(dir, path), contents);
      const r = await tf(ctx, dir, ["init", "-backend=false", "-input=false", ...initArgs(ctx.source)]);
      if (r.code !== 0) throw new Error(failed("terraform init", r));
      return dir;
    })();
    ctx.inits.set(u.module, p);
  }
  return p;
}

async function applyUnit(ctx: Ctx, unitId: string, result: UnitApply): Promise<void> {
  const started = performance.now();
  const u = (await resolveUnits(ctx.root, ctx.outputs)).find((x) => x.id === unitId)!;
  if (u.error) throw new Error(u.error);
  const initialised = await moduleInit(ctx, u);
  const dir = join(ctx.work, u.id);
  await copyModule(ctx, u.module, dir);
  cpSync(join(initialised, ".terraform"), join(dir, ".terraform"), { recursive: true, verbatimSymlinks: true });
  cpSync(join(initialised, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
  const account = String((u.locals.account as Record<string, unknown>).account_id);
  for (const [path, contents] of Object.entries(u.generated)) {
    writeFileSync(join(dir, path), /^\s*provider\s+"aws"/m.test(contents) ? motoProviderBlock(contents, account, ctx.endpoint) : contents);
  }
  writeFileSync(join(dir, "terraform.tfvars.json"), JSON.stringify(u.values, null, 2));
  const leftOut = new Set((LEFT_OUT[u.module] ?? []).map((l) => l.resource));
  const targets = leftOut.size === 0 ? [] : (await resourceAddresses(dir)).filter((a) => !leftOut.has(a)).map((a) => `-target=${a}`);
  result.leftOut = [...leftOut];
  const apply = await tf(ctx, dir, ["apply", "-auto-approve", "-input=false", ...targets], result);
  if (apply.code !== 0) throw new Error(failed("terraform apply", apply));
  result.applied = await stateCount(ctx, dir);
  const plan = await tf(ctx, dir, ["plan", "-detailed-exitcode", "-input=false", ...targets], result);
  if (plan.code === 1) throw new Error(failed("second terraform plan", plan));
  result.replan = plan.code === 0 ? "" : planDiff(plan);
  ctx.outputs.set(u.id, await readOutputs(ctx, dir));
  writeFileSync(join(dir, ".targets"), JSON.stringify(targets));
  result.seconds += (performance.now() - started) / 1000;
}

/**
 * After the first deploy (after-deploy.ts): makes what the deploy makes,
 * applies the unit again with the step's inputs, plans it again (no changes
 * allowed) and checks the result, in result.afterDeploy.
 */
async function afterFirstDeploy(ctx: Ctx, u: ResolvedUnit, result: UnitApply): Promise<void> {
  const step = AFTER_FIRST_DEPLOY[u.module];
  const dir = join(ctx.work, u.id);
  const tfvars = join(dir, "terraform.tfvars.json");
  const deployed: DeployedUnit = {
    env: u.env,
    endpoint: ctx.endpoint,
    account: String((u.locals.account as Record<string, unknown>).account_id),
    region: String((u.locals.region as Record<string, unknown>).aws_region),
    values: { ...(JSON.parse(readFileSync(tfvars, "utf8")) as Record<string, unknown>), ...step.inputs },
    outputs: (unit) => ctx.outputs.get(`${u.env}/${unit}`),
  };
  step.prepare(deployed);
  ctx.cleanups.set(u.id, () => step.cleanup(deployed));
  writeFileSync(tfvars, JSON.stringify(deployed.values, null, 2));
  const targets = JSON.parse(readFileSync(join(dir, ".targets"), "utf8")) as string[];
  const apply = await tf(ctx, dir, ["apply", "-auto-approve", "-input=false", ...targets], result);
  if (apply.code !== 0) return void (result.afterDeploy = failed("terraform apply after the first deploy", apply));
  const plan = await tf(ctx, dir, ["plan", "-detailed-exitcode", "-input=false", ...targets], result);
  if (plan.code === 2) return void (result.afterDeploy = `the plan after that apply is not empty:\n${planDiff(plan)}`);
  if (plan.code !== 0) return void (result.afterDeploy = failed("the plan after that apply", plan));
  result.afterDeploy = step.check(deployed, await readOutputs(ctx, dir)).join("\n");
}

/** The unit's outputs, name => value. */
async function readOutputs(ctx: Ctx, dir: string): Promise<Record<string, unknown>> {
  const out = await tf(ctx, dir, ["output", "-json"]);
  if (out.code !== 0) throw new Error(failed("terraform output", out));
  return Object.fromEntries(Object.entries(JSON.parse(out.stdout) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
}

async function stateCount(ctx: Ctx, dir: string): Promise<number> {
  const r = await tf(ctx, dir, ["state", "list"]);
  return r.stdout.split("\n").filter((l) => l && !l.startsWith("data.")).length;
}

async function destroyUnit(ctx: Ctx, unitId: string, result: UnitApply): Promise<void> {
  const started = performance.now();
  const dir = join(ctx.work, unitId);
  const targets = JSON.parse(readFileSync(join(dir, ".targets"), "utf8")) as string[];
  const override = join(dir, "prevent_destroy_override.tf");
  const before = await stateCount(ctx, dir);
  if (before === 0) {
    // Nothing applied (dev's edge): nothing to destroy or to refuse.
    result.remaining = 0;
    result.destroyed = true;
    return;
  }
  if (existsSync(override)) {
    const refused = await tf(ctx, dir, ["destroy", "-auto-approve", "-input=false", ...targets], result);
    const after = await stateCount(ctx, dir);
    if (refused.code === 0) throw new Error(`terraform destroy succeeded with prevent_destroy overrides in place (${before} -> ${after} resources)`);
    if (after !== before) throw new Error(`the refused destroy still removed ${before - after} resources`);
    result.refused = (/Error: Instance cannot be destroyed[\s\S]*?(Resource \S+ has lifecycle\.prevent_destroy\s+set)/.exec(refused.stderr)?.[1] ?? "").replace(/\s+/g, " ");
    if (!result.refused) throw new Error(failed("terraform destroy (expected to refuse on prevent_destroy)", refused));
    rmSync(override);
  }
  const destroy = await tf(ctx, dir, ["destroy", "-auto-approve", "-input=false", ...targets], result);
  if (destroy.code !== 0) throw new Error(failed("terraform destroy", destroy));
  if (AGAIN_AFTER_DESTROY[result.module] && !result.refused) {
    const again = await tf(ctx, dir, ["apply", "-auto-approve", "-input=false", ...targets], result);
    result.again = again.code === 0 ? "" : failed("terraform apply right after the destroy", again);
    const destroyAgain = await tf(ctx, dir, ["destroy", "-auto-approve", "-input=false", ...targets], result);
    if (destroyAgain.code !== 0) throw new Error(failed("terraform destroy after the second apply", destroyAgain));
  }
  result.remaining = await stateCount(ctx, dir);
  result.destroyed = result.remaining === 0;
  ctx.cleanups.get(unitId)?.();
  result.seconds += (performance.now() - started) / 1000;
}

export interface ApplyOptions {
  envs: string[];
  /** Only these units ("dev/queue"), with the units they depend on; default all of `envs`. */
  units?: string[];
  /** terraform processes at once (APPLY_CONCURRENCY, default 4). */
  concurrency?: number;
  /** Units left unapplied, with the reason (the Helm units). */
  skip?: (u: ResolvedUnit, needed: Set<string>) => string | undefined;
}

/**
 * Runs `fn` over the units as a dependency graph: a unit starts when every
 * unit in `before(u)` is done (and not failed), at most `limit` at a time;
 * a unit whose prerequisite failed or was skipped fails naming it.
 */
async function walk(
  ids: string[],
  before: (id: string) => string[],
  limit: number,
  fn: (id: string) => Promise<void>,
  broken: (id: string) => string | undefined,
  blocked: (id: string, why: string) => void,
): Promise<void> {
  const done = new Map<string, Promise<void>>();
  let running = 0;
  const queue: Array<() => void> = [];
  const slot = async <T>(f: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((r) => queue.push(r));
    running++;
    try {
      return await f();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
  const start = (id: string): Promise<void> => {
    let p = done.get(id);
    if (!p) {
      p = (async () => {
        const pre = before(id).filter((d) => ids.includes(d));
        await Promise.all(pre.map(start));
        const bad = pre.map((d) => [d, broken(d)] as const).find(([, why]) => why);
        if (bad) return blocked(id, `live/${bad[0]} did not get there: ${bad[1]!.split("\n")[0]}`);
        await slot(() => fn(id));
      })();
      done.set(id, p);
    }
    return p;
  };
  await Promise.allSettled(ids.map(start));
}

/** Applies, re-plans and destroys every unit of the given environments against moto at `endpoint`. */
export async function applyEnvironments(root: string, work: string, endpoint: string, source: ProviderSource, options: ApplyOptions): Promise<ApplyRun> {
  const started = performance.now();
  mkdirSync(work, { recursive: true });
  const cliConfig = join(work, "terraformrc");
  writeFileSync(cliConfig, "");
  const env: NodeJS.ProcessEnv = withSource({ ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: cliConfig, TF_INPUT: "0" }, source);
  for (const k of Object.keys(env)) if (/^(TF_VAR_|TF_DATA_DIR$|TF_LOG|AWS_)/.test(k)) delete env[k];
  const ctx: Ctx = { root, work, env, source, endpoint, outputs: new Map(), inits: new Map(), cleanups: new Map() };
  const units = (await resolveUnits(root)).filter((u) => options.envs.includes(u.env) && (options.units === undefined || options.units.includes(u.id)));
  const results = new Map<string, UnitApply>();
  for (const u of units) {
    const r: UnitApply = { id: u.id, module: u.module, leftOut: [], seconds: 0, steps: {} };
    r.skipped = options.skip?.(u, await providersNeeded(join(root, "modules", u.module)));
    results.set(u.id, r);
  }
  const byId = new Map(units.map((u) => [u.id, u]));
  const deps = (id: string) => byId.get(id)!.dependencies.map((d) => d.target);
  const dependents = (id: string) => units.filter((u) => deps(u.id).includes(id)).map((u) => u.id);
  const live = units.map((u) => u.id).filter((id) => !results.get(id)!.skipped);
  const broken = (id: string) => results.get(id)!.skipped ?? results.get(id)!.error;
  const guard = (step: string, f: (id: string, r: UnitApply) => Promise<void>) => async (id: string) => {
    const r = results.get(id)!;
    try {
      await f(id, r);
    } catch (err) {
      r.error = `${step}: ${(err as Error).message}`;
    }
  };
  const limit = options.concurrency ?? (Number(process.env.APPLY_CONCURRENCY) || 4);
  const blocked = (id: string, why: string) => void (results.get(id)!.error = `not applied: ${why}`);
  await walk(live, deps, limit, guard("apply", (id, r) => applyUnit(ctx, id, r)), broken, blocked);
  const deployed = live.filter((id) => AFTER_FIRST_DEPLOY[byId.get(id)!.module] && results.get(id)!.applied !== undefined);
  await Promise.all(deployed.map(guard("after the first deploy", (id, r) => afterFirstDeploy(ctx, byId.get(id)!, r))));
  // Destroy: a unit goes once every unit that depends on it is gone; a unit
  // that never applied has nothing to destroy and does not hold others up.
  const applied = live.filter((id) => results.get(id)!.applied !== undefined);
  await walk(applied, dependents, limit, guard("destroy", (id, r) => destroyUnit(ctx, id, r)), () => undefined, blocked);
  return { units: results, seconds: (performance.now() - started) / 1000 };
}
