// Evaluates what Terragrunt would hand to Terraform for one unit, offline:
// the inputs (root.hcl + _envcommon + the unit, with the env, region and
// account locals and the dependencies' mock_outputs), and the files root.hcl
// generates. Only the expressions this live layer uses are understood
// (read_terragrunt_config(find_in_parent_folders("x.hcl")).locals, local.*,
// dependency.*.outputs.*, merge() of those and of object literals, string
// interpolation); anything else is an error
// that names the expression, so a new construct fails loudly, never silently.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseFile, readUnits, type Hcl, type Unit } from "./hcl.ts";

export interface ResolvedUnit extends Unit {
  /** "dev/alarms" */
  id: string;
  /** Inputs with every expression evaluated. */
  values: Record<string, unknown>;
  /** Files root.hcl generates, by path, contents evaluated (backend.tf is not among them). */
  generated: Record<string, string>;
  /** The locals visible to the unit: account, region, env (and any other the files define). */
  locals: Record<string, unknown>;
  /** Why the unit could not be evaluated offline (then it is reported failed, the others still run). */
  error?: string;
}

function findUp(start: string, name: string): string {
  for (let dir = dirname(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) throw new Error(`find_in_parent_folders("${name}"): not found above ${start}`);
  }
}

function lookup(path: string, ctx: Record<string, unknown>): unknown {
  let cur: unknown = ctx;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== "object" || !(part in (cur as Record<string, unknown>))) {
      throw new Error(`cannot evaluate \${${path}}: ${part} is not defined`);
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const REFERENCE = /^[A-Za-z_][\w.[\]-]*$/;

/** Splits "a, { b = c, d = e }" at the commas outside braces and brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** A reference, !reference (bool), a quoted string, an object literal of those, or merge() of those. */
function expression(expr: string, ctx: Record<string, unknown>): unknown {
  const e = expr.trim();
  if (REFERENCE.test(e)) return lookup(e, ctx);
  const not = /^!([A-Za-z_][\w.[\]-]*)$/.exec(e);
  if (not) {
    const v = lookup(not[1], ctx);
    if (typeof v !== "boolean") throw new Error(`cannot evaluate \${${expr}}: not a bool`);
    return !v;
  }
  if (/^"[^"$%]*"$/.test(e)) return JSON.parse(e);
  const object = /^\{([\s\S]*)\}$/.exec(e);
  if (object) {
    return Object.fromEntries(splitTopLevel(object[1].replace(/\n/g, ",")).map((entry) => {
      const m = /^([A-Za-z_][\w-]*)\s*=\s*([\s\S]+)$/.exec(entry);
      if (!m) throw new Error(`cannot evaluate \${${expr}} offline`);
      return [m[1], expression(m[2], ctx)];
    }));
  }
  const merge = /^merge\(([\s\S]*)\)$/.exec(e);
  if (merge) {
    const parts = splitTopLevel(merge[1]).map((a) => expression(a, ctx));
    if (parts.some((p) => p === null || typeof p !== "object" || Array.isArray(p))) throw new Error(`cannot evaluate \${${expr}}: merge() takes objects`);
    return Object.assign({}, ...(parts as object[]));
  }
  throw new Error(`cannot evaluate \${${expr}} offline`);
}

/** Evaluates hcl2json output: "${expr}" alone keeps the value's type; inside text a reference is interpolated. */
export function evaluate(value: unknown, ctx: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{([\s\S]*)\}$/.exec(value);
    if (whole && !whole[1].includes("${")) return expression(whole[1], ctx);
    return value.replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
      if (!REFERENCE.test(expr)) throw new Error(`cannot evaluate \${${expr}} offline`);
      const v = lookup(expr, ctx);
      if (v !== null && typeof v === "object") throw new Error(`\${${expr}} is not a string inside "${value}"`);
      return String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, ctx));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, ctx)]));
  }
  return value;
}

const READ_CONFIG = /^\$\{read_terragrunt_config\(find_in_parent_folders\("([^"]+)"\)\)\.locals\}$/;

/** The locals blocks of the given parsed files, with read_terragrunt_config(...).locals resolved. */
async function localsOf(files: Hcl[], unitDir: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const f of files) {
    for (const block of (f.locals ?? []) as Hcl[]) {
      for (const [k, v] of Object.entries(block)) {
        const m = typeof v === "string" ? READ_CONFIG.exec(v) : null;
        if (m) {
          const read = await parseFile(findUp(join(unitDir, "terragrunt.hcl"), m[1]));
          out[k] = Object.assign({}, ...((read.locals ?? []) as Hcl[]));
        } else {
          out[k] = v;
        }
      }
    }
  }
  return out;
}

/**
 * Every unit of live/ with its inputs and generated files evaluated as
 * Terragrunt would. Dependencies give their mock_outputs, or, when
 * `outputs` is given (the apply tier), the real outputs of the units
 * already applied, by unit id ("dev/network"); a dependency missing from
 * it is an error for that unit.
 */
export async function resolveUnits(root: string, outputs?: ReadonlyMap<string, Record<string, unknown>>): Promise<ResolvedUnit[]> {
  const liveDir = join(root, "live");
  const rootHcl = await parseFile(join(liveDir, "root.hcl"));
  const out: ResolvedUnit[] = [];
  for (const unit of await readUnits(root)) {
    const own = await parseFile(join(unit.dir, "terragrunt.hcl"));
    const includes: Hcl[] = [];
    for (const inc of Object.values((own.include ?? {}) as Record<string, Hcl[]>)) {
      const p = String(inc[0].path).replace('${dirname(find_in_parent_folders("root.hcl"))}', liveDir);
      if (!p.includes("find_in_parent_folders")) includes.push(await parseFile(p));
    }
    const id = `${unit.env}/${unit.name}`;
    try {
      const locals = await localsOf([rootHcl, ...includes, own], unit.dir);
      const dependency = Object.fromEntries(unit.dependencies.map((d) => {
        if (outputs && !outputs.has(d.target)) throw new Error(`dependency "${d.name}": live/${d.target} has no outputs (not applied)`);
        return [d.name, { outputs: outputs ? outputs.get(d.target) : (d.mockOutputs ?? {}) }];
      }));
      const ctx = { local: locals, dependency };
      const values = evaluate(unit.inputs, ctx) as Record<string, unknown>;
      // Generate blocks of root.hcl, then the included files, then the unit
      // (a later block of the same name replaces an earlier one, as an
      // include merge does); a block whose `disable` is true writes nothing.
      const blocks = new Map<string, Hcl>();
      for (const f of [rootHcl, ...includes, own]) {
        for (const [name, list] of Object.entries((f.generate ?? {}) as Record<string, Hcl[]>)) blocks.set(name, list[0]);
      }
      const generated: Record<string, string> = {};
      for (const g of blocks.values()) {
        if (g.disable !== undefined && evaluate(g.disable, ctx) === true) continue;
        generated[String(g.path)] = String(evaluate(g.contents, ctx));
      }
      out.push({ ...unit, id, values, generated, locals });
    } catch (err) {
      out.push({ ...unit, id, values: {}, generated: {}, locals: {}, error: `live/${id}: ${(err as Error).message}` });
    }
  }
  return out;
}
