// The stock update both services agree on, and the one validator of it:
// inventory runs it on HTTP input, pricing on every event it receives.

import { isRfc3339 } from "./rfc3339.ts";
import { fail, isRecord } from "./validation.ts";

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_QUANTITY = 1_000_000_000;
// Control characters (C0, DEL, C1) are refused in free text fields.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A stock-level update as a shop or warehouse sends it (version filled in). */
export interface InventoryUpdate {
  sku: string;
  /** Absolute available stock, not a delta. */
  quantity: number;
  /** Monotonic per SKU at the source; the receive time in ms when the sender gave none. */
  version: number;
  warehouse?: string;
  occurredAt?: string;
}

/** The fields an update may carry; a reader of a wider shape passes its own set. */
export const UPDATE_FIELDS: ReadonlySet<string> = new Set(["sku", "quantity", "version", "warehouse", "occurredAt"]);

function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function text(obj: Record<string, unknown>, key: string, path: string, max: number): string | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail("invalid_type", `${key} must be a string`, at(path, key));
  if (value.length < 1 || value.length > max) fail("out_of_range", `${key} must be 1 to ${max} characters`, at(path, key));
  if (CONTROL.test(value)) fail("invalid_format", `${key} must not contain control characters`, at(path, key));
  return value;
}

/**
 * Checks one update. `path` prefixes field names in errors (e.g. "[3]").
 * `defaultVersion` fills a missing version; without it a version is required.
 */
export function validateUpdate(
  value: unknown,
  path: string,
  defaultVersion?: number,
  allowed: ReadonlySet<string> = UPDATE_FIELDS,
): InventoryUpdate {
  if (!isRecord(value)) fail("invalid_type", "an update must be a JSON object", path || "body");
  for (const key in value) {
    if (!allowed.has(key)) fail("unknown_field", `unknown field "${key.slice(0, 64)}"`, at(path, key.slice(0, 64)));
  }

  const sku = value.sku;
  if (sku === undefined) fail("missing_field", "sku is required", at(path, "sku"));
  if (typeof sku !== "string") fail("invalid_type", "sku must be a string", at(path, "sku"));
  if (sku.length < 1 || sku.length > 64) fail("out_of_range", "sku must be 1 to 64 characters", at(path, "sku"));
  if (!SKU_PATTERN.test(sku)) fail("invalid_format", "sku must match [A-Za-z0-9][A-Za-z0-9._-]*", at(path, "sku"));

  const quantity = value.quantity;
  if (quantity === undefined) fail("missing_field", "quantity is required", at(path, "quantity"));
  if (typeof quantity !== "number" || !Number.isInteger(quantity)) fail("invalid_type", "quantity must be an integer", at(path, "quantity"));
  if (quantity < 0 || quantity > MAX_QUANTITY) fail("out_of_range", `quantity must be between 0 and ${MAX_QUANTITY}`, at(path, "quantity"));

  let version = value.version;
  if (version === undefined) {
    if (defaultVersion === undefined) fail("missing_field", "version is required", at(path, "version"));
    version = defaultVersion;
  }
  if (typeof version !== "number" || !Number.isInteger(version)) fail("invalid_type", "version must be an integer", at(path, "version"));
  if (version < 1 || !Number.isSafeInteger(version)) fail("out_of_range", `version must be between 1 and ${Number.MAX_SAFE_INTEGER}`, at(path, "version"));

  const update: InventoryUpdate = { sku, quantity, version };
  const warehouse = text(value, "warehouse", path, 64);
  if (warehouse !== undefined) update.warehouse = warehouse;
  const occurredAt = text(value, "occurredAt", path, 64);
  if (occurredAt !== undefined) {
    if (!isRfc3339(occurredAt)) fail("invalid_format", "occurredAt must be an RFC 3339 date-time", at(path, "occurredAt"));
    update.occurredAt = occurredAt;
  }
  return update;
}
