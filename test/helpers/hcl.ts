// HashiCorp's HCL parser (WASM, @cdktf/hcl2json) for the offline checks of
// the Terraform modules and the Terragrunt live layer. Every function takes
// the repository root, so a check can run against a deliberately broken copy.

import { parse } from "@cdktf/hcl2json";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { evaluate, Undefined } from "./hcl-eval.ts";

export type Hcl = Record<string, any>;

export async function parseFile(path: string): Promise<Hcl> {
  return (await parse(path, readFileSync(path, "utf8"))) as Hcl;
}

export function listFiles(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, ext));
    else if (ext.test(e)) out.push(p);
  }
  return out.sort();
}

export const MODULE_FILES = ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"];

export function moduleNames(root: string): string[] {
  return readdirSync(join(root, "modules")).filter((d) => statSync(join(root, "modules", d)).isDirectory()).sort();
}

export interface ModuleInfo {
  name: string;
  variables: Record<string, { description?: string; type?: string; default?: unknown; hasDefault: boolean }>;
  outputs: Record<string, { description?: string }>;
  /** Every parsed .tf file of the module merged by top-level key. */
  blocks: Hcl[];
}

export async function readModule(root: string, name: string): Promise<ModuleInfo> {
  const dir = join(root, "modules", name);
  const blocks = await Promise.all(listFiles(dir, /\.tf$/).map(parseFile));
  const variables: ModuleInfo["variables"] = {};
  const outputs: ModuleInfo["outputs"] = {};
  for (const b of blocks) {
    for (const [k, v] of Object.entries((b.variable ?? {}) as Record<string, Hcl[]>)) variables[k] = { ...v[0], hasDefault: "default" in v[0] };
    for (const [k, v] of Object.entries((b.output ?? {}) as Record<string, Hcl[]>)) outputs[k] = v[0];
  }
  return { name, variables, outputs, blocks };
}

/** All resources / data sources of a type across the module's files: name -> body. */
export function blocksOf(m: ModuleInfo, kind: "resource" | "data", type: string): Record<string, Hcl> {
  const out: Record<string, Hcl> = {};
  for (const b of m.blocks) for (const [name, bodies] of Object.entries((b[kind]?.[type] ?? {}) as Record<string, Hcl[]>)) out[name] = bodies[0];
  return out;
}

export interface Unit {
  env: string;
  name: string;
  dir: string;
  /** The module the unit deploys (from terraform.source). */
  module: string;
  dependencies: Array<{ name: string; configPath: string; target: string; mockOutputs: Record<string, unknown> | undefined; allowed: unknown }>;
  inputs: Record<string, unknown>;
  /** Input keys more than one file sets (root.hcl with env.hcl, _envcommon, the unit): the checks refuse them. */
  setTwice: string[];
}

function findUp(start: string, name: string): string {
  for (let dir = dirname(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) throw new Error(`find_in_parent_folders("${name}"): not found above ${start}`);
  }
}

const READ_CONFIG = /^\$\{read_terragrunt_config\(find_in_parent_folders\("([^"]+)"\)\)\.locals\}$/;

/**
 * The locals a unit sees from these parsed files, evaluated:
 * read_terragrunt_config(find_in_parent_folders("x.hcl")).locals is read as
 * written, every other local is evaluated once the locals it names are.
 */
export async function unitLocals(files: Hcl[], unitDir: string, liveDir: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const pending = new Map<string, unknown>();
  for (const f of files) {
    for (const block of (f.locals ?? []) as Hcl[]) {
      for (const [k, v] of Object.entries(block)) {
        const m = typeof v === "string" ? READ_CONFIG.exec(v) : null;
        if (m) out[k] = Object.assign({}, ...(((await parseFile(findUp(join(unitDir, "terragrunt.hcl"), m[1]))).locals ?? []) as Hcl[]));
        else pending.set(k, v);
      }
    }
  }
  // hcl2json sorts the keys: evaluate in rounds until every local is known.
  while (pending.size > 0) {
    let progressed = false;
    let last: Error | undefined;
    for (const [k, v] of pending) {
      try {
        out[k] = evaluate(v, { local: out, terragruntDir: unitDir, liveDir });
        pending.delete(k);
        progressed = true;
      } catch (err) {
        if (!(err instanceof Undefined)) throw err;
        last = err;
      }
    }
    if (!progressed) throw last!;
  }
  return out;
}

/** A path of the live layer (include, source, config_path) as Terragrunt resolves it for the unit in `unitDir`. */
function resolveTg(expr: string, unitDir: string, liveDir: string, locals: Record<string, unknown> = {}): string {
  return String(evaluate(expr, { local: locals, terragruntDir: unitDir, liveDir }));
}

/** Every Terragrunt unit (live/<env>/<unit>/terragrunt.hcl) with its included shared body merged in. */
export async function readUnits(root: string): Promise<Unit[]> {
  const liveDir = join(root, "live");
  const rootHcl = await parseFile(join(liveDir, "root.hcl"));
  const units: Unit[] = [];
  for (const file of listFiles(liveDir, /^terragrunt\.hcl$/)) {
    const dir = dirname(file);
    const own = await parseFile(file);
    const parts: Hcl[] = [own];
    for (const inc of Object.values((own.include ?? {}) as Record<string, Hcl[]>)) {
      const path = resolveTg(String(inc[0].path), dir, liveDir);
      if (path === join(liveDir, "root.hcl")) continue; // the root include
      parts.unshift(await parseFile(path));
    }
    const source = [...parts, rootHcl].map((p) => p.terraform?.[0]?.source).find(Boolean) as string | undefined;
    const rootLocals = await unitLocals([rootHcl], dir, liveDir);
    const module = source ? relative(join(root, "modules"), resolve(resolveTg(source, dir, liveDir, rootLocals))) : "";
    // root.hcl holds the dependency blocks; a unit reads those its needs enable.
    const dependencies: Unit["dependencies"] = [];
    for (const p of [rootHcl, ...parts]) {
      for (const [name, bodies] of Object.entries((p.dependency ?? {}) as Record<string, Hcl[]>)) {
        const d = bodies[0];
        if (d.enabled !== undefined && evaluate(d.enabled, { local: p === rootHcl ? rootLocals : {}, terragruntDir: dir, liveDir }) !== true) continue;
        const configPath = resolve(resolveTg(String(d.config_path), dir, liveDir));
        dependencies.push({ name, configPath, target: relative(liveDir, configPath), mockOutputs: d.mock_outputs, allowed: d.mock_outputs_allowed_terraform_commands });
      }
    }
    // root.hcl's inputs (the tags and env.hcl's unit_inputs entry) are
    // evaluated here; a key two files set is recorded, as Terragrunt's merge
    // order would decide it silently.
    const rootInputs = evaluate(rootHcl.inputs ?? {}, { local: rootLocals, terragruntDir: dir, liveDir }) as Record<string, unknown>;
    const sources = [rootInputs, ...parts.map((p) => (p.inputs ?? {}) as Record<string, unknown>)];
    const keys = sources.flatMap((s) => Object.keys(s));
    const setTwice = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
    const inputs = Object.assign({}, ...sources);
    const rel = relative(liveDir, dir).split("/");
    units.push({ env: rel[0], name: rel.slice(1).join("/"), dir, module, dependencies, inputs, setTwice });
  }
  return units;
}

/** The cycle in the unit graph, as a list of unit paths, or undefined. */
export function findCycle(units: Unit[]): string[] | undefined {
  const byDir = new Map(units.map((u) => [u.dir, u]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (u: Unit): string[] | undefined => {
    if (state.get(u.dir) === "done") return undefined;
    if (state.get(u.dir) === "visiting") return [...stack.slice(stack.indexOf(u.dir)), u.dir];
    state.set(u.dir, "visiting");
    stack.push(u.dir);
    for (const d of u.dependencies) {
      const t = byDir.get(d.configPath);
      const c = t && visit(t);
      if (c) return c;
    }
    stack.pop();
    state.set(u.dir, "done");
    return undefined;
  };
  for (const u of units) {
    const c = visit(u);
    if (c) return c;
  }
  return undefined;
}
