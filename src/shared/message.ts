// The stock update both services agree on, and the one validator of it:
// inventory runs it on HTTP input, pricing on every event it receives. The
// one-update message format below predates CloudEvents (src/shared/events.ts);
// pricing still reads it, since both formats share the queue during a rolling upgrade.

import { ValidationError } from "./errors.ts";

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_QUANTITY = 1_000_000_000;

/**
 * FIFO queues, both of them: the SKU is the message group (order per SKU),
 * SKU and version the deduplication id (a resend of one version within
 * SQS's 5-minute window is stored once).
 */
export function fifoIds(sku: string, version: number): { groupId: string; dedupId: string } {
  return { groupId: sku, dedupId: `${sku}:${version}` };
}
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;
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

export interface InventoryUpdatedMessage extends InventoryUpdate {
  type: "inventory.updated";
  schemaVersion: 1;
  /** Unique per update; the id returned to the sender in the 202. */
  id: string;
  requestId: string;
  receivedAt: string;
}

/** A price decision: the data of a price.decided event, and the older message's fields. */
export interface PriceDecidedData {
  sku: string;
  version: number;
  quantity: number;
  currency: string;
  /** Integer minor units (cents). */
  price: number;
  /** The price this service decided last for the SKU, null when it knows none. */
  previousPrice: number | null;
  /** Which policy rule set the price, e.g. "band:low-stock". */
  rule: string;
  /** The id of the inventory update this decision answers. */
  updateId: string;
}

export interface PriceDecidedMessage extends PriceDecidedData {
  type: "price.decided";
  schemaVersion: 1;
  decidedAt: string;
}

const UPDATE_FIELDS = new Set(["sku", "quantity", "version", "warehouse", "occurredAt"]);
const MESSAGE_FIELDS = new Set([...UPDATE_FIELDS, "type", "schemaVersion", "id", "requestId", "receivedAt"]);

function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Throws the ValidationError for `field`; the readers of both message formats use it. */
export function fail(code: string, message: string, field: string): never {
  throw new ValidationError(code, message, field);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The last date-time found valid: the events of one packed message mostly share their time. */
let lastValidTime = "";

export function isRfc3339(text: string): boolean {
  if (text === lastValidTime) return true;
  const ok = checkRfc3339(text);
  if (ok) lastValidTime = text;
  return ok;
}

function checkRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 60) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
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

export function buildInventoryMessage(update: InventoryUpdate, id: string, requestId: string, receivedAt: string): InventoryUpdatedMessage {
  return { type: "inventory.updated", schemaVersion: 1, id, requestId, ...update, receivedAt };
}

/**
 * Parses a message body from the queue. Throws ValidationError (code
 * `invalid_json`, `unknown_type`, `unknown_schema_version`, or a field rule)
 * for a poison message.
 */
export function parseInventoryMessage(body: string): InventoryUpdatedMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    fail("invalid_json", "message body is not JSON", "body");
  }
  return readInventoryMessage(value);
}

/** The one-update message of the format before CloudEvents, already parsed from JSON. */
export function readInventoryMessage(value: unknown): InventoryUpdatedMessage {
  if (!isRecord(value)) fail("invalid_type", "message body must be a JSON object", "body");
  if (value.type !== "inventory.updated") fail("unknown_type", "type must be inventory.updated", "type");
  if (value.schemaVersion !== 1) fail("unknown_schema_version", "schemaVersion must be 1", "schemaVersion");
  const update = validateUpdate(value, "", undefined, MESSAGE_FIELDS);
  for (const key of ["id", "requestId", "receivedAt"] as const) {
    if (typeof value[key] !== "string" || value[key] === "") fail("invalid_type", `${key} must be a non-empty string`, key);
  }
  return { type: "inventory.updated", schemaVersion: 1, id: value.id as string, requestId: value.requestId as string, ...update, receivedAt: value.receivedAt as string };
}
