// Terraform against the real provider: finds the provider mirror (or, with
// none, uses the public registry with a plugin cache), copies each module to
// a temporary directory, initialises it (`terraform init -backend=false`
// once, shared by every module that needs only the aws provider: init
// hashes the 700 MB provider each time),
// then one `terraform test -json -verbose` per module that runs its own tests/*.tftest.hcl and one generated plan per Terragrunt
// unit (tftest-files.ts), and keeps each unit's JSON plan. Every module is
// also checked with `terraform validate` (all in one process,
// terraform-validate.ts). Nothing is written inside the repository.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { listFiles, moduleNames, parseFile, type Hcl } from "./hcl.ts";
import { Plan, type PlanJson } from "./plan.ts";
import { mapLimit, parseLines, problems, run, UNIT_PREFIX, type Ran } from "./terraform-cli.ts";
import { validateModules } from "./terraform-validate.ts";
import { OFFLINE_PROVIDER, unitTestFile } from "./tftest-files.ts";
import { resolveUnits, type ResolvedUnit } from "./terragrunt.ts";

export { Plan } from "./plan.ts";
export { mapLimit } from "./terraform-cli.ts";

export type Outcome = { status: "pass" } | { status: "fail"; detail: string } | { status: "skip"; reason: string };

export interface ModuleResult {
  name: string;
  validate: Outcome;
  /** The module's own tests/*.tftest.hcl, by file name. */
  tests: Record<string, Outcome>;
  seconds: number;
}

export interface UnitResult {
  unit: ResolvedUnit;
  outcome: Outcome;
  plan?: Plan;
}

export interface InfraRun {
  modules: Map<string, ModuleResult>;
  units: Map<string, UnitResult>;
  seconds: number;
}

let searched: { dir: string } | { reason: string } | undefined;

/** Where the provider mirror is, or why there is none. TF_PLUGIN_MIRROR overrides the search. */
export function findMirror(env = process.env): { dir: string } | { reason: string } {
  const given = env.TF_PLUGIN_MIRROR;
  if (given !== undefined && given !== "") {
    return existsSync(join(given, "registry.terraform.io")) ? { dir: given } : { reason: `no provider mirror at TF_PLUGIN_MIRROR=${given}` };
  }
  if (!searched) {
    const r = spawnSync("find", ["/", "-maxdepth", "5", "-type", "d", "-path", "*registry.terraform.io/hashicorp/aws"], { encoding: "utf8" });
    const hit = (r.stdout ?? "").split("\n").find(Boolean);
    searched = hit ? { dir: dirname(dirname(dirname(hit))) } : { reason: "no Terraform provider mirror found (find / -maxdepth 5 -path '*registry.terraform.io/hashicorp/aws'); set TF_PLUGIN_MIRROR" };
  }
  return searched;
}

export function terraformVersion(): string | undefined {
  const r = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (r.status !== 0) return undefined;
  return (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
}

/**
 * Where providers come from: the local mirror when there is one, else the
 * public registry the normal way, with a plugin cache (TF_PLUGIN_CACHE_DIR,
 * default ~/.terraform.d/plugin-cache) so each provider downloads once.
 */
export type ProviderSource = { mirror: string } | { registry: string; cache: string };

const REGISTRY = "registry.terraform.io";
let reachable: string | undefined | null = null;

/** Why the public registry cannot be reached from here (a 10 s HTTPS probe, once), or undefined. */
export function registryUnreachable(env = process.env): string | undefined {
  if (env.TF_REGISTRY_PROBE === "unreachable") return `the public registry ${REGISTRY} cannot be reached (TF_REGISTRY_PROBE=unreachable)`;
  if (reachable === null) {
    const probe = `fetch("https://${REGISTRY}/v1/providers/hashicorp/aws/versions",{signal:AbortSignal.timeout(10000)}).then(r=>process.exit(r.ok?0:2),e=>{console.error(String(e.cause?.code??e.message));process.exit(1)})`;
    const r = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8", timeout: 15_000 });
    reachable = r.status === 0 ? undefined : `the public registry ${REGISTRY} cannot be reached (${r.status === 2 ? "it answered with an error" : (r.stderr.trim() || "timed out")})`;
  }
  return reachable;
}

export function providerSource(env = process.env): ProviderSource | { reason: string } {
  const mirror = findMirror(env);
  if ("dir" in mirror) return { mirror: mirror.dir };
  const unreachable = registryUnreachable(env);
  if (unreachable) return { reason: `${mirror.reason}, and ${unreachable}` };
  const cache = env.TF_PLUGIN_CACHE_DIR || join(homedir(), ".terraform.d", "plugin-cache");
  mkdirSync(cache, { recursive: true });
  return { registry: REGISTRY, cache };
}

/** `terraform init` arguments for the source (the registry's cache goes in through the environment, see withSource). */
export function initArgs(source: ProviderSource): string[] {
  return "mirror" in source ? [`-plugin-dir=${source.mirror}`] : [];
}

/** The environment terraform runs with for the source. */
export function withSource(env: NodeJS.ProcessEnv, source: ProviderSource): NodeJS.ProcessEnv {
  return "cache" in source ? { ...env, TF_PLUGIN_CACHE_DIR: source.cache } : env;
}

/** Why the Terraform checks cannot run here (terraform missing, or neither mirror nor registry), or undefined when they can. */
export function terraformUnavailable(env = process.env): string | undefined {
  const version = terraformVersion();
  if (!version) return "terraform is not installed here (not on PATH); install the version live/root.hcl pins";
  const source = providerSource(env);
  return "reason" in source ? source.reason : undefined;
}

/** Provider source addresses (registry.terraform.io/ns/name) in the mirror. */
export function mirrorProviders(mirror: string): Set<string> {
  const out = new Set<string>();
  for (const host of readdirSync(mirror)) {
    for (const ns of safeList(join(mirror, host))) for (const name of safeList(join(mirror, host, ns))) out.add(`${host}/${ns}/${name}`);
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Providers a module needs: its required_providers, and hashicorp/<prefix> of any resource type it does not declare. */
export async function providersNeeded(moduleDir: string): Promise<Set<string>> {
  const declared = new Map<string, string>();
  const prefixes = new Set<string>();
  for (const f of listFiles(moduleDir, /\.tf$/).filter((p) => dirname(p) === moduleDir)) {
    const hcl = await parseFile(f);
    for (const t of (hcl.terraform ?? []) as Hcl[]) {
      for (const rp of (t.required_providers ?? []) as Hcl[]) {
        for (const [local, spec] of Object.entries(rp)) declared.set(local, typeof spec === "string" ? `hashicorp/${local}` : String((spec as Hcl).source ?? `hashicorp/${local}`));
      }
    }
    for (const kind of ["resource", "data"]) for (const type of Object.keys((hcl[kind] ?? {}) as Hcl)) prefixes.add(type.split("_")[0]);
  }
  for (const p of prefixes) if (!declared.has(p)) declared.set(p, `hashicorp/${p}`);
  const full = (s: string) => (s.split("/").length === 2 ? `registry.terraform.io/${s}` : s).toLowerCase();
  return new Set([...declared.values()].map(full));
}


const AWS = "registry.terraform.io/hashicorp/aws";

/**
 * One `terraform init` for every module that needs only the aws provider and
 * calls no other module: its .terraform (a link into the mirror) and lock
 * file are copied instead of running init again for each module.
 */
async function sharedInit(work: string, env: NodeJS.ProcessEnv, source: ProviderSource): Promise<string | undefined> {
  const dir = join(work, "_shared-init");
  mkdirSync(dir);
  writeFileSync(join(dir, "main.tf"), 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n');
  const r = await run(["init", "-backend=false", "-input=false", "-no-color", ...initArgs(source)], dir, env);
  return r.code === 0 ? dir : undefined;
}

async function callsModules(dir: string): Promise<boolean> {
  for (const f of listFiles(dir, /\.tf$/).filter((p) => dirname(p) === dir)) if ((await parseFile(f)).module) return true;
  return false;
}

/** Folders of modules/ that the module's own module blocks call as "../<name>". */
export async function siblingsCalled(dir: string): Promise<string[]> {
  const out = new Set<string>();
  for (const f of listFiles(dir, /\.tf$/).filter((p) => dirname(p) === dir)) {
    for (const calls of Object.values(((await parseFile(f)).module ?? {}) as Record<string, Hcl[]>)) {
      const m = /^\.\.\/([\w-]+)$/.exec(String(calls[0].source));
      if (m) out.add(m[1]);
    }
  }
  return [...out];
}

async function init(src: string, dir: string, needed: Set<string>, shared: string | undefined, env: NodeJS.ProcessEnv, source: ProviderSource): Promise<Ran> {
  if (shared && [...needed].every((p) => p === AWS) && !(await callsModules(src))) {
    cpSync(join(shared, ".terraform"), join(dir, ".terraform"), { recursive: true, verbatimSymlinks: true });
    cpSync(join(shared, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
    return { code: 0, stdout: "", stderr: "" };
  }
  return run(["init", "-backend=false", "-input=false", "-no-color", ...initArgs(source)], dir, env);
}

interface Context {
  root: string;
  work: string;
  env: NodeJS.ProcessEnv;
  source: ProviderSource;
  /** Providers the mirror holds; undefined = any (the registry). */
  have: Set<string> | undefined;
  shared: string | undefined;
  /** terraform validate of every module, in one process (terraform-validate.ts); undefined when not asked for. */
  validated: Promise<Map<string, Outcome>> | undefined;
  /** Own tests to run, as "module/file"; undefined runs all. */
  tests: string[] | undefined;
}

async function runModule(ctx: Context, name: string, allUnits: ResolvedUnit[]) {
  const { root, work, env, source, have, shared } = ctx;
  const started = performance.now();
  const units = allUnits.filter((u) => u.error === undefined);
  const src = join(root, "modules", name);
  const result: ModuleResult = { name, validate: { status: "pass" }, tests: {}, seconds: 0 };
  const unitOutcomes: UnitResult[] = [];
  const wanted = (p: string) => ctx.tests === undefined || ctx.tests.includes(`${name}/${p.slice(join(src, "tests").length + 1)}`);
  const ownTests = listFiles(join(src, "tests"), /\.tftest\.hcl$/).filter(wanted).map((p) => p.slice(join(src, "tests").length + 1));
  const needed = await providersNeeded(src);
  const missing = [...needed].filter((p) => have !== undefined && !have.has(p));
  const skipAll = (reason: string) => {
    result.validate = { status: "skip", reason };
    for (const t of ownTests) result.tests[t] = { status: "skip", reason };
    for (const u of units) unitOutcomes.push({ unit: u, outcome: { status: "skip", reason } });
  };
  const pinned = /required_version\s*=\s*"(\d+\.\d+\.\d+)"/.exec(Object.values(units[0]?.generated ?? {}).join("\n"))?.[1];
  const installed = terraformVersion();
  if (missing.length > 0) {
    skipAll(`modules/${name} needs ${missing.join(", ")}, which the provider mirror ${"mirror" in source ? source.mirror : ""} does not have`);
  } else if (pinned && installed !== pinned) {
    skipAll(`the live layer pins terraform ${pinned} (root.hcl); this machine has ${installed}`);
  } else {
    // Each module gets a private modules/ tree: a module calling a sibling
    // ("../irsa-role") finds its own clean copy of it there.
    const dir = join(work, name, name);
    cpSync(src, dir, { recursive: true, filter: (p) => !p.includes(".terraform") && (!p.endsWith(".tftest.hcl") || wanted(p)) });
    for (const sibling of await siblingsCalled(src)) cpSync(join(root, "modules", sibling), join(work, name, sibling), { recursive: true, filter: (p) => !p.includes(".terraform") && !p.includes("/tests") });
    const initialised = await init(src, dir, needed, shared, env, source);
    if (initialised.code !== 0) {
      const detail = `terraform init failed:\n${initialised.stderr}${initialised.stdout}`;
      result.validate = { status: "fail", detail };
      for (const t of ownTests) result.tests[t] = { status: "fail", detail };
      for (const u of units) unitOutcomes.push({ unit: u, outcome: { status: "fail", detail } });
    } else {
      await runTests(dir, units, ownTests, env, result, unitOutcomes);
      result.validate = ctx.validated ? ((await ctx.validated).get(name) ?? { status: "fail", detail: "not validated" }) : { status: "skip", reason: "validation not asked for" };
    }
  }
  for (const u of allUnits) if (u.error !== undefined) unitOutcomes.push({ unit: u, outcome: { status: "fail", detail: u.error } });
  result.seconds = (performance.now() - started) / 1000;
  return { result, unitOutcomes };
}

/** Files a unit's generate blocks write besides the provider. */
function generatedFiles(u: ResolvedUnit): Array<[string, string]> {
  return Object.entries(u.generated).filter(([, c]) => !/^\s*provider\s+"/m.test(c)).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * A file of resource blocks that hold nothing but `lifecycle {
 * prevent_destroy = true }` (prod's deletion protection): it changes no
 * planned value, only what a destroy may do.
 */
const LIFECYCLE_ONLY = /^(?:\s*resource\s+"\w+"\s+"\w+"\s*\{\s*lifecycle\s*\{\s*prevent_destroy\s*=\s*true\s*\}\s*\})+\s*$/;

/**
 * Units whose generate blocks write different files are planned in copies
 * of the initialised module, one per set of files, in parallel; the
 * module's own tests run in the first. Prevent_destroy overrides do not
 * split a module: dev and prod share one directory that holds prod's
 * override, so Terraform still checks the file (an override of a resource
 * the module lacks is an error) and dev's plan is the same with or without
 * it (test/infra/plan-checks/operations.ts reads each unit's own files).
 */
async function runTests(dir: string, units: ResolvedUnit[], ownTests: string[], env: NodeJS.ProcessEnv, result: ModuleResult, out: UnitResult[]) {
  if (units.length === 0 && ownTests.length === 0) return;
  const groups = new Map<string, { units: ResolvedUnit[]; files: Map<string, string> }>();
  for (const u of units) {
    const files = generatedFiles(u);
    const shared = files.filter(([, c]) => !LIFECYCLE_ONLY.test(c));
    let key = JSON.stringify(shared);
    const fits = (g: { files: Map<string, string> }) => files.every(([p, c]) => !g.files.has(p) || g.files.get(p) === c);
    if (groups.has(key) && !fits(groups.get(key)!)) key = JSON.stringify(files);
    const g = groups.get(key) ?? { units: [], files: new Map<string, string>() };
    g.units.push(u);
    for (const [p, c] of files) g.files.set(p, c);
    groups.set(key, g);
  }
  const lists = groups.size > 0 ? [...groups.values()] : [{ units: [], files: new Map<string, string>() }];
  const dirs = lists.map((_, i) => (i === 0 ? dir : `${dir}~${i}`));
  for (const d of dirs.slice(1)) {
    cpSync(dir, d, { recursive: true, verbatimSymlinks: true });
    rmSync(join(d, "tests"), { recursive: true, force: true });
  }
  await Promise.all(lists.map((g, i) => runTestsIn(dirs[i], g.units, g.files, i === 0 ? ownTests : [], env, result, out)));
}

async function runTestsIn(dir: string, units: ResolvedUnit[], generated: Map<string, string>, ownTests: string[], env: NodeJS.ProcessEnv, result: ModuleResult, out: UnitResult[]) {
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, "_offline_provider.tf"), OFFLINE_PROVIDER);
  const files = new Map<string, ResolvedUnit>();
  for (const u of units) {
    const file = `${UNIT_PREFIX}${u.env}_${u.name.replaceAll("/", "_")}.tftest.hcl`;
    files.set(`tests/${file}`, u);
    writeFileSync(join(dir, "tests", file), await unitTestFile(u, dir));
  }
  for (const [path, contents] of generated) writeFileSync(join(dir, path), contents);
  const t = await run(["test", "-json", "-verbose", "-no-color"], dir, env);
  const lines = parseLines(t.stdout);
  // Problems outside any test file (a broken test file, say) fail every file's result below.
  const general = problems(lines.filter((l) => l["@testfile"] === undefined));
  const status = new Map(lines.filter((l) => l.type === "test_file" && l.test_file?.status).map((l) => [l.test_file!.path, l.test_file!.status]));
  for (const own of ownTests) {
    const s = status.get(`tests/${own}`);
    result.tests[own] = s === "pass" ? { status: "pass" } : { status: "fail", detail: problems(lines, `tests/${own}`) || general || `status ${s ?? "missing"}\n${t.stderr}` };
  }
  for (const [file, unit] of files) {
    const planLine = lines.find((l) => l.type === "test_plan" && l["@testfile"] === file);
    const s = status.get(file);
    const warnings = problems(lines, file);
    if (s === "pass" && planLine?.test_plan && !warnings) {
      const { provider_schemas: _drop, ...plan } = planLine.test_plan as PlanJson & { provider_schemas?: unknown };
      out.push({ unit, outcome: { status: "pass" }, plan: new Plan(plan) });
    } else {
      out.push({ unit, outcome: { status: "fail", detail: warnings || general || `status ${s ?? "missing"}\n${t.stderr}` } });
    }
  }
}

export interface InfraOptions {
  /** Environments whose units are planned (default dev and prod). */
  envs?: string[];
  /** Only these units ("dev/eks"); default every unit of `envs`. */
  units?: string[];
  /** Only these own tests ("eks/endpoint.tftest.hcl"); default every module's. */
  tests?: string[];
  /** terraform validate of every module (default true). */
  validate?: boolean;
  /** Modules at once (default TF_PLAN_CONCURRENCY or 3). */
  concurrency?: number;
}

/**
 * Validates every folder of modules/, plans every unit of live/<env> for
 * the given environments, and runs every module's own terraform tests;
 * options narrow that down (a broken copy needs only what it breaks).
 * Modules run in parallel, `concurrency` at a time (TF_PLAN_CONCURRENCY).
 */
export async function runInfra(root: string, options: InfraOptions = {}): Promise<InfraRun> {
  const started = performance.now();
  const source = providerSource();
  if ("reason" in source) throw new Error(source.reason);
  const have = "mirror" in source ? mirrorProviders(source.mirror) : undefined;
  const envs = options.envs ?? ["dev", "prod"];
  const units = (await resolveUnits(root)).filter((u) => envs.includes(u.env) && (options.units === undefined || options.units.includes(u.id)));
  const work = mkdtempSync(join(tmpdir(), "tf-plan-"));
  const cliConfig = join(work, "terraformrc");
  writeFileSync(cliConfig, "");
  const env: NodeJS.ProcessEnv = withSource({ ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: cliConfig, TF_INPUT: "0" }, source);
  for (const k of Object.keys(env)) if (/^(TF_VAR_|TF_DATA_DIR$|TF_LOG)/.test(k)) delete env[k];
  const concurrency = options.concurrency ?? (Number(process.env.TF_PLAN_CONCURRENCY) || 3);
  try {
    const modules = moduleNames(root);
    const shared = have === undefined || have.has(AWS) ? await sharedInit(work, env, source) : undefined;
    const runnable: string[] = [];
    for (const m of modules) if ([...(await providersNeeded(join(root, "modules", m)))].every((p) => have === undefined || have.has(p))) runnable.push(m);
    const validated = options.validate === false ? undefined : validateModules(root, runnable, work, env, initArgs(source));
    validated?.catch(() => undefined);
    const ctx: Context = { root, work, env, source, have, shared, validated, tests: options.tests };
    const done = await mapLimit(modules, concurrency, (m) => runModule(ctx, m, units.filter((u) => u.module === m)));
    const run: InfraRun = { modules: new Map(), units: new Map(), seconds: 0 };
    for (const { result, unitOutcomes } of done) {
      run.modules.set(result.name, result);
      for (const u of unitOutcomes) run.units.set(u.unit.id, u);
    }
    for (const u of units) {
      if (!run.units.has(u.id)) run.units.set(u.id, { unit: u, outcome: { status: "fail", detail: u.error ?? `terraform.source of live/${u.id} is not a folder of modules/ (${u.module})` } });
    }
    run.seconds = (performance.now() - started) / 1000;
    return run;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
