// Options over defaults. A plain `{ ...defaults, ...options }` lets an explicit
// `undefined` (an unset setting passed through) replace a default, and the
// type checker does not notice: an optional property's spread is typed as
// if it were absent. Every place where options meet defaults goes through
// withDefaults, so an undefined key keeps its default.

import { OptionError } from "./errors.ts";

/** The keys of `options` whose value is not undefined. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(options) as Array<keyof T>) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out;
}

/** `defaults` overridden by the defined keys of `options` only. */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): Omit<O, keyof D> & { [K in keyof D]-?: Exclude<D[K], undefined> } {
  return { ...defaults, ...definedOnly(options) } as Omit<O, keyof D> & { [K in keyof D]-?: Exclude<D[K], undefined> };
}

/**
 * Throws an OptionError naming the option unless `value` is an integer within
 * [min, max]: NaN or undefined must never reach an SQS call (the emulator
 * accepts "NaN"; SQS refuses it).
 */
export function requireInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new OptionError(`${name} must be an integer ${min}-${max}, got ${String(value)}`);
  }
  return value;
}
