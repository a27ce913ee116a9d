// Environment configuration, declared once per service as a table of
// variables. The same table parses `process.env` at start (each bad value is a
// ConfigError naming the variable and what it allows), documents the README
// configuration table, and lets the manifest checks see what a service reads.

import { ConfigError } from "../errors.ts";

export type Env = Readonly<Record<string, string | undefined>>;

interface VarDoc {
  /** Default as written in an environment file; undefined when there is none. */
  default: string | undefined;
  /** Allowed values in words, e.g. "integer 1-65535". */
  allowed: string;
  description: string;
  /** True when the service refuses to start without it. */
  required: boolean;
}

export interface VarDef<T> {
  readonly doc: VarDoc;
  parse(raw: string | undefined, name: string): T;
}

type Common = { description: string };

function def<T>(doc: VarDoc, parse: (raw: string | undefined, name: string) => T): VarDef<T> {
  return { doc, parse };
}

function present(raw: string | undefined): raw is string {
  return raw !== undefined && raw.trim() !== "";
}

export function int(o: Common & { default?: number; min: number; max: number }): VarDef<number>;
export function int(o: Common & { optional: true; min: number; max: number }): VarDef<number | undefined>;
export function int(o: Common & { default?: number; optional?: true; min: number; max: number }): VarDef<number | undefined> {
  const allowed = `integer ${o.min}-${o.max}`;
  return def({ default: o.default?.toString(), allowed, description: o.description, required: o.default === undefined && !o.optional }, (raw, name) => {
    if (!present(raw)) {
      if (o.default !== undefined || o.optional) return o.default;
      throw new ConfigError(name, `is required (${allowed})`);
    }
    const text = raw.trim();
    const n = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || n < o.min || n > o.max) {
      throw new ConfigError(name, `must be an ${allowed}, got "${text.slice(0, 40)}"`);
    }
    return n;
  });
}

export function oneOf<const V extends string>(o: Common & { values: readonly V[]; default: V }): VarDef<V> {
  const allowed = o.values.join(" | ");
  return def({ default: o.default, allowed, description: o.description, required: false }, (raw, name) => {
    if (!present(raw)) return o.default;
    const text = raw.trim() as V;
    if (!o.values.includes(text)) throw new ConfigError(name, `must be one of ${allowed}, got "${text.slice(0, 40)}"`);
    return text;
  });
}

export function bool(o: Common & { default: boolean }): VarDef<boolean> {
  return def({ default: String(o.default), allowed: "true | false", description: o.description, required: false }, (raw, name) => {
    if (!present(raw)) return o.default;
    const text = raw.trim().toLowerCase();
    if (text === "true" || text === "1") return true;
    if (text === "false" || text === "0") return false;
    throw new ConfigError(name, `must be true or false, got "${raw.trim().slice(0, 40)}"`);
  });
}

export function str(o: Common & { default: string; pattern?: RegExp; allowed?: string }): VarDef<string>;
export function str(o: Common & { required: true; pattern?: RegExp; allowed?: string }): VarDef<string>;
export function str(o: Common & { optional: true; pattern?: RegExp; allowed?: string }): VarDef<string | undefined>;
export function str(o: Common & { default?: string; required?: true; optional?: true; pattern?: RegExp; allowed?: string }): VarDef<string | undefined> {
  const allowed = o.allowed ?? (o.pattern ? `text matching ${o.pattern.source}` : "text");
  return def({ default: o.default, allowed, description: o.description, required: o.required === true }, (raw, name) => {
    if (!present(raw)) {
      if (o.required) throw new ConfigError(name, `is required (${allowed})`);
      return o.default;
    }
    const text = raw.trim();
    if (o.pattern && !o.pattern.test(text)) throw new ConfigError(name, `must be ${allowed}`);
    return text;
  });
}

/** An http(s) URL; optional unless a default is given. */
export function url(o: Common & { optional: true }): VarDef<string | undefined> {
  const allowed = "http(s) URL";
  return def({ default: undefined, allowed, description: o.description, required: false }, (raw, name) => {
    if (!present(raw)) return undefined;
    const text = raw.trim();
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch (cause) {
      throw new ConfigError(name, `must be an ${allowed}, got "${text.slice(0, 80)}"`, { cause });
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new ConfigError(name, `must be an ${allowed}`);
    return text;
  });
}

export type Spec = Record<string, VarDef<unknown>>;
export type Parsed<S extends Spec> = { [K in keyof S]: S[K] extends VarDef<infer T> ? T : never };

/**
 * Parses every variable of `spec` from `env`. Collects all problems and throws
 * one ConfigError listing them, so a broken deployment is fixed in one go.
 */
export function parseEnv<S extends Spec>(spec: S, env: Env): Parsed<S> {
  const out: Record<string, unknown> = {};
  const problems: ConfigError[] = [];
  for (const [name, v] of Object.entries(spec)) {
    try {
      out[name] = v.parse(env[name], name);
    } catch (err) {
      if (err instanceof ConfigError) problems.push(err);
      else throw err;
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new ConfigError(problems.map((p) => p.variable).join(", "), problems.map((p) => p.message).join("; "));
  }
  return out as Parsed<S>;
}

/** Rows for the README configuration table. */
export function describeEnv(spec: Spec): Array<{ name: string } & VarDoc> {
  return Object.entries(spec).map(([name, v]) => ({ name, ...v.doc }));
}
