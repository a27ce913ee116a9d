// Evaluates the Terragrunt expressions this live layer uses, offline, on the
// strings hcl2json gives ("${...}"). Understood: references (local.*,
// dependency.*.outputs.*), string, number and bool literals, object and list
// literals of those, merge(), lookup(map, key, default), contains(list, x), length(), !, ||, ==,
// split("sep", x)[n], get_terragrunt_dir() and its basename(),
// find_in_parent_folders("root.hcl") and its dirname(), and templatefile() with for
// directives. Anything else is an error that names the expression, so a new
// construct fails loudly, never silently.

import { readFileSync } from "node:fs";
import { basename, join } from "node:path";

/** What an expression may refer to: locals, dependencies, and where the unit and live/ are. */
export interface EvalContext {
  local?: Record<string, unknown>;
  dependency?: Record<string, unknown>;
  /** get_terragrunt_dir(): the unit's folder. */
  terragruntDir?: string;
  /** dirname(find_in_parent_folders("root.hcl")): the live/ folder. */
  liveDir?: string;
}

export class Undefined extends Error {}

function lookup(path: string, ctx: EvalContext): unknown {
  let cur: unknown = ctx;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== "object" || !(part in (cur as Record<string, unknown>))) {
      throw new Undefined(`cannot evaluate \${${path}}: ${part} is not defined`);
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const REFERENCE = /^[A-Za-z_][\w.[\]-]*$/;

/** Splits `text` at `sep` where it stands outside quotes, braces, brackets and parentheses. */
function splitTopLevel(text: string, sep = ","): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfString(text, i);
    else if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * Index of the bracket closing the one at `open`; -1 when none. Quoted
 * strings are skipped, and the "${...}" inside them, whose own quotes nest.
 */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfString(text, i);
    else if (c === "{" || c === "[" || c === "(") depth++;
    else if ((c === "}" || c === "]" || c === ")") && --depth === 0) return i;
  }
  return -1;
}

/** Index of the quote closing the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "$" && text[i + 1] === "{") i = closing(text, i + 1);
    else if (text[i] === '"') return i;
    if (i < 0) break;
  }
  return text.length;
}

/** The arguments of `name(...)` when `e` is exactly that one call, else undefined. */
function call(e: string, name: string): string[] | undefined {
  if (!e.startsWith(`${name}(`) || closing(e, name.length) !== e.length - 1) return undefined;
  return splitTopLevel(e.slice(name.length + 1, -1));
}

function fail(expr: string, why = "offline"): never {
  throw new Error(`cannot evaluate \${${expr}} ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** One expression (the text inside "${...}"). */
function expression(expr: string, ctx: EvalContext): unknown {
  const e = expr.trim();
  const or = splitTopLevel(e, "||");
  if (or.length > 1) return or.some((x) => truth(x, ctx));
  const eq = splitTopLevel(e, "==");
  if (eq.length === 2) return expression(eq[0], ctx) === expression(eq[1], ctx);
  if (e.startsWith("!")) return !truth(e.slice(1), ctx);
  if (e === "true" || e === "false") return e === "true";
  if (/^\d+$/.test(e)) return Number(e);
  if (REFERENCE.test(e)) return lookup(e, ctx);
  if (e.startsWith('"') && endOfString(e, 0) === e.length - 1) return quoted(e, ctx);
  const object = /^\{([\s\S]*)\}$/.exec(e);
  if (object) {
    return Object.fromEntries(splitTopLevel(object[1].replace(/\n/g, ",")).map((entry) => {
      const m = /^("[^"]+"|[A-Za-z_][\w-]*)\s*=\s*([\s\S]+)$/.exec(entry);
      if (!m) fail(expr);
      return [m[1].replace(/^"|"$/g, ""), expression(m[2], ctx)];
    }));
  }
  const list = /^\[([\s\S]*)\]$/.exec(e);
  if (list) return splitTopLevel(list[1].replace(/\n/g, ",")).map((x) => expression(x, ctx));
  if (e === 'find_in_parent_folders("root.hcl")' && ctx.liveDir) return join(ctx.liveDir, "root.hcl");
  if (e === 'dirname(find_in_parent_folders("root.hcl"))' && ctx.liveDir) return ctx.liveDir;
  if (e === "get_terragrunt_dir()" && ctx.terragruntDir) return ctx.terragruntDir;
  if (e === "basename(get_terragrunt_dir())" && ctx.terragruntDir) return basename(ctx.terragruntDir);
  const split = /^split\(("(?:[^"\\]|\\.)*"),\s*([A-Za-z_][\w.[\]-]*)\)\[(\d+)\]$/.exec(e);
  if (split) return String(expression(split[2], ctx)).split(JSON.parse(split[1]) as string)[Number(split[3])];
  const merge = call(e, "merge");
  if (merge) {
    const parts = merge.map((a) => expression(a, ctx));
    if (!parts.every(isObject)) fail(expr, "offline: merge() takes objects");
    return Object.assign({}, ...parts);
  }
  const lookupArgs = call(e, "lookup");
  if (lookupArgs?.length === 3) {
    const [map, key, fallback] = lookupArgs.map((a) => expression(a, ctx));
    if (!isObject(map)) fail(expr, "offline: lookup() takes an object");
    return String(key) in map ? map[String(key)] : fallback;
  }
  const contains = call(e, "contains");
  if (contains?.length === 2) {
    const [list, value] = contains.map((a) => expression(a, ctx));
    if (!Array.isArray(list)) fail(expr, "offline: contains() takes a list");
    return list.includes(value);
  }
  const length = call(e, "length");
  if (length?.length === 1) {
    const v = expression(length[0], ctx);
    return Array.isArray(v) || typeof v === "string" ? v.length : isObject(v) ? Object.keys(v).length : fail(expr);
  }
  const template = call(e, "templatefile");
  if (template?.length === 2) {
    const vars = expression(template[1], ctx);
    if (!isObject(vars)) fail(expr, "offline: templatefile() takes an object");
    return renderTemplate(readFileSync(String(expression(template[0], ctx)), "utf8"), { ...ctx, ...vars }, vars);
  }
  fail(expr);
}

function truth(expr: string, ctx: EvalContext): boolean {
  const v = expression(expr, ctx);
  if (typeof v !== "boolean") fail(expr, "offline: not a bool");
  return v;
}

/** A quoted string: escapes undone, each "${...}" inside evaluated. */
function quoted(text: string, ctx: EvalContext): string {
  const body = text.slice(1, -1);
  // Escapes outside "${...}" are undone; the interpolations keep their own text.
  return interpolate(body, (inner) => expression(inner, ctx), text).replace(/\\(["\\])/g, "$1").replace(/\\n/g, "\n");
}

/** Replaces each "${...}" of `text` with `value` of its inside; objects cannot be interpolated. */
function interpolate(text: string, value: (inner: string) => unknown, where: string): string {
  let out = "";
  let i = 0;
  for (let at = text.indexOf("${", i); at >= 0; at = text.indexOf("${", i)) {
    const end = closing(text, at + 1);
    if (end < 0) throw new Error(`unbalanced \${ in "${where}"`);
    const v = value(text.slice(at + 2, end));
    if (v !== null && typeof v === "object") throw new Error(`\${${text.slice(at + 2, end)}} is not a string inside "${where}"`);
    out += text.slice(i, at) + String(v);
    i = end + 1;
  }
  return out + text.slice(i);
}

/** A template with "%{ for x in list ~}...%{ endfor ~}" directives and "${...}" interpolations. */
function renderTemplate(text: string, ctx: EvalContext, vars: Record<string, unknown>): string {
  const loop = /%\{\s*for\s+(\w+)\s+in\s+(\w+)\s*~\}\n?([\s\S]*?)%\{\s*endfor\s*~\}\n?/g;
  if (text.replace(loop, "").includes("%{")) throw new Error("cannot render a template directive other than for ... endfor offline");
  return text.replace(loop, (_, name: string, listName: string, body: string) => {
    const list = vars[listName];
    if (!Array.isArray(list)) throw new Error(`template: ${listName} is not a list`);
    return list.map((item) => interpolate(body, (inner) => expression(inner, { ...ctx, [name]: item } as EvalContext), body)).join("");
  });
}

/** Evaluates hcl2json output: "${expr}" alone keeps the value's type; inside text each "${...}" is interpolated. */
export function evaluate(value: unknown, ctx: EvalContext): unknown {
  if (typeof value === "string") {
    if (value.startsWith("${") && closing(value, 1) === value.length - 1) return expression(value.slice(2, -1), ctx);
    return interpolate(value, (inner) => expression(inner, ctx), value);
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, ctx));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, ctx)]));
  return value;
}
