// The two primitives every reader of untrusted JSON uses: the record check
// and the throw that names the field.

import { ValidationError } from "./errors.ts";

/** Throws the ValidationError for `field`; the readers of both message formats use it. */
export function fail(code: string, message: string, field: string): never {
  throw new ValidationError(code, message, field);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
