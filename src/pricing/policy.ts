// The pricing policy: a YAML file, validated field by field. Every error names
// the field path (e.g. `bands[2].below`) and what is allowed. Money is integer
// minor units; percentages are whole numbers.

import { parse } from "yaml";
import { AppError } from "../shared/errors.ts";
import { SKU_PATTERN } from "../shared/update.ts";

const MAX_PRICE = 1_000_000_000; // minor units (10 million in major units)

interface Band {
  name: string;
  /** Applies to quantities below this; undefined on the last band = everything else. */
  below: number | undefined;
  adjustPercent: number;
}

export interface Policy {
  currency: string;
  /** Minor-unit ending of every price (e.g. 99 → x.99); undefined = no rounding. */
  ending: number | undefined;
  rounding: "up" | "down" | "nearest";
  floorPercent: number;
  ceilingPercent: number;
  bands: Band[];
  skus: Map<string, number>;
  /** Sorted longest first, so the longest matching prefix wins. */
  prefixes: Array<[string, number]>;
}

export class PolicyError extends AppError {
  readonly path: string;
  constructor(path: string, message: string) {
    super("invalid_policy", `${path}: ${message}`);
    this.path = path;
  }
}

type Obj = Record<string, unknown>;

function obj(value: unknown, path: string): Obj {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PolicyError(path, "must be a mapping");
  return value as Obj;
}

function only(o: Obj, path: string, keys: string[]): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new PolicyError(path ? `${path}.${k}` : k, `unknown field (allowed: ${keys.join(", ")})`);
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new PolicyError(path, `must be an integer ${min} to ${max}`);
  if (value < min || value > max) throw new PolicyError(path, `must be an integer ${min} to ${max}, got ${value}`);
  return value;
}

/** Validates a parsed YAML document into a Policy. */
export function validatePolicy(doc: unknown): Policy {
  const root = obj(doc, "(document)");
  only(root, "", ["currency", "rounding", "limits", "bands", "prices"]);

  if (typeof root.currency !== "string" || !/^[A-Z]{3}$/.test(root.currency)) throw new PolicyError("currency", "must be an ISO 4217 code of 3 capital letters, e.g. EUR");

  let ending: number | undefined;
  let rounding: Policy["rounding"] = "nearest";
  if (root.rounding !== undefined) {
    const r = obj(root.rounding, "rounding");
    only(r, "rounding", ["ending", "mode"]);
    if (r.ending !== undefined) ending = integer(r.ending, "rounding.ending", 0, 99);
    if (r.mode !== undefined) {
      if (r.mode !== "up" && r.mode !== "down" && r.mode !== "nearest") throw new PolicyError("rounding.mode", "must be up, down or nearest");
      rounding = r.mode;
    }
  }

  let floorPercent = 0;
  let ceilingPercent = 1000;
  if (root.limits !== undefined) {
    const l = obj(root.limits, "limits");
    only(l, "limits", ["floorPercent", "ceilingPercent"]);
    if (l.floorPercent !== undefined) floorPercent = integer(l.floorPercent, "limits.floorPercent", 0, 100);
    if (l.ceilingPercent !== undefined) ceilingPercent = integer(l.ceilingPercent, "limits.ceilingPercent", 100, 1000);
  }

  if (!Array.isArray(root.bands) || root.bands.length === 0) throw new PolicyError("bands", "must be a list of at least one band");
  const bands: Band[] = root.bands.map((raw: unknown, i: number) => {
    const path = `bands[${i}]`;
    const b = obj(raw, path);
    only(b, path, ["name", "below", "adjustPercent"]);
    if (typeof b.name !== "string" || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(b.name)) throw new PolicyError(`${path}.name`, "must be 1-40 characters a-z 0-9 -");
    const last = i === (root.bands as unknown[]).length - 1;
    let below: number | undefined;
    if (b.below === undefined) {
      if (!last) throw new PolicyError(`${path}.below`, "is required on every band but the last");
    } else {
      below = integer(b.below, `${path}.below`, 1, 1_000_000_001);
    }
    return { name: b.name, below, adjustPercent: integer(b.adjustPercent, `${path}.adjustPercent`, -99, 1000) };
  });
  for (let i = 1; i < bands.length; i++) {
    const prev = bands[i - 1].below!;
    const cur = bands[i].below;
    if (cur !== undefined && cur <= prev) throw new PolicyError(`bands[${i}].below`, `must be greater than bands[${i - 1}].below (${prev})`);
  }
  const names = new Set<string>();
  bands.forEach((b, i) => {
    if (names.has(b.name)) throw new PolicyError(`bands[${i}].name`, `duplicates "${b.name}"`);
    names.add(b.name);
  });

  const prices = obj(root.prices, "prices");
  only(prices, "prices", ["skus", "prefixes"]);
  const skus = new Map<string, number>();
  if (prices.skus !== undefined) {
    for (const [sku, value] of Object.entries(obj(prices.skus, "prices.skus"))) {
      if (!SKU_PATTERN.test(sku)) throw new PolicyError(`prices.skus.${sku}`, "is not a valid SKU");
      skus.set(sku, integer(value, `prices.skus.${sku}`, 1, MAX_PRICE));
    }
  }
  const prefixes: Array<[string, number]> = [];
  if (prices.prefixes !== undefined) {
    for (const [prefix, value] of Object.entries(obj(prices.prefixes, "prices.prefixes"))) {
      if (!SKU_PATTERN.test(prefix)) throw new PolicyError(`prices.prefixes.${prefix}`, "must be the start of a valid SKU");
      prefixes.push([prefix, integer(value, `prices.prefixes.${prefix}`, 1, MAX_PRICE)]);
    }
  }
  if (skus.size === 0 && prefixes.length === 0) throw new PolicyError("prices", "must give at least one price in skus or prefixes");
  prefixes.sort((a, b) => b[0].length - a[0].length);

  return { currency: root.currency, ending, rounding, floorPercent, ceilingPercent, bands, skus, prefixes };
}

/** Parses and validates policy text; errors name the field (PolicyError) or "(document)" for bad YAML. */
export function parsePolicy(text: string): Policy {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new PolicyError("(document)", `is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  return validatePolicy(doc);
}
