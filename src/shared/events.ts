// CloudEvents 1.0 in structured JSON mode: the two event types this system
// produces, and the readers pricing uses. A packed SQS message body is the
// CloudEvents JSON batch format (an array of structured events) and carries a
// `content-type` message attribute of application/cloudevents-batch+json.
// Schemas: schemas/inventory-updated.schema.json, schemas/price-decided.schema.json.

import { ValidationError } from "./errors.ts";
import { readInventoryMessage, type InventoryUpdatedMessage } from "./legacy-message.ts";
import type { PriceDecidedData } from "./price-decision.ts";
import { isRfc3339 } from "./rfc3339.ts";
import { validateUpdate, type InventoryUpdate } from "./update.ts";
import { fail, isRecord } from "./validation.ts";

const CE_BATCH_CONTENT_TYPE = "application/cloudevents-batch+json";
/** Reverse-DNS and versioned by the type name: a breaking change is a new type. */
export const EVENT_TYPES = {
  inventoryUpdated: "io.stockprice.inventory.updated.v1",
  priceDecided: "io.stockprice.price.decided.v1",
} as const;
const EVENT_SOURCES = { inventory: "/stockprice/inventory", pricing: "/stockprice/pricing" } as const;
/** The message attribute that marks a packed body; its size counts towards the message's. */
export const BATCH_ATTRIBUTES = { "content-type": { DataType: "String", StringValue: CE_BATCH_CONTENT_TYPE } };

export interface CloudEvent<T> {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: "application/json";
  /** The SKU, so routers can filter without reading data. */
  subject: string;
  data: T;
}

type InventoryUpdatedData = InventoryUpdate & { requestId: string };

export function inventoryUpdatedEvent(update: InventoryUpdate, id: string, requestId: string, receivedAt: string): CloudEvent<InventoryUpdatedData> {
  return {
    specversion: "1.0",
    id,
    source: EVENT_SOURCES.inventory,
    type: EVENT_TYPES.inventoryUpdated,
    time: receivedAt,
    datacontenttype: "application/json",
    subject: update.sku,
    data: { ...update, requestId },
  };
}

export function priceDecidedEvent(data: PriceDecidedData, decidedAt: string): CloudEvent<PriceDecidedData> {
  return {
    specversion: "1.0",
    // Deterministic: a decision re-sent after a redelivery keeps its id, so readers can deduplicate.
    id: `${data.updateId}.price`,
    source: EVENT_SOURCES.pricing,
    type: EVENT_TYPES.priceDecided,
    time: decidedAt,
    datacontenttype: "application/json",
    subject: data.sku,
    data,
  };
}

/** Joins serialised events into one batch-format body. */
export function batchBody(events: readonly string[]): string {
  return `[${events.join(",")}]`;
}

const DATA_FIELDS = new Set(["sku", "quantity", "version", "warehouse", "occurredAt", "requestId"]);

/**
 * Reads one structured-mode inventory.updated event into the shape the
 * pricing logic uses. Unknown extension attributes are tolerated, as the
 * CloudEvents spec asks of consumers. Throws ValidationError naming the field.
 */
export function readInventoryEvent(value: unknown, path: string): InventoryUpdatedMessage {
  const at = (k: string) => `${path}.${k}`;
  if (!isRecord(value)) fail("invalid_type", "an event must be a JSON object", path);
  if (value.specversion !== "1.0") fail("unknown_specversion", "specversion must be 1.0", at("specversion"));
  if (value.type !== EVENT_TYPES.inventoryUpdated) fail("unknown_type", `type must be ${EVENT_TYPES.inventoryUpdated}`, at("type"));
  for (const k of ["id", "source"] as const) {
    if (typeof value[k] !== "string" || value[k] === "") fail("invalid_type", `${k} must be a non-empty string`, at(k));
  }
  if (typeof value.time !== "string" || !isRfc3339(value.time)) fail("invalid_format", "time must be an RFC 3339 date-time", at("time"));
  if (value.datacontenttype !== undefined && value.datacontenttype !== "application/json") {
    fail("unknown_content_type", "datacontenttype must be application/json", at("datacontenttype"));
  }
  const data = value.data;
  const update = validateUpdate(data, at("data"), undefined, DATA_FIELDS);
  const requestId = (data as Record<string, unknown>).requestId;
  if (typeof requestId !== "string" || requestId === "") fail("invalid_type", "requestId must be a non-empty string", at("data.requestId"));
  return { type: "inventory.updated", schemaVersion: 1, id: value.id as string, requestId, ...update, receivedAt: value.time };
}

/** One event of a message: read, or refused with the reason. */
export type BodyItem = { ok: true; update: InventoryUpdatedMessage } | { ok: false; index: number; error: ValidationError; raw: unknown };

/**
 * Reads a message body of either format: a CloudEvents batch (each event read
 * on its own, so one bad event does not spoil its neighbours), a single
 * structured event, or the older one-update message. Throws ValidationError
 * when the body as a whole is neither: that message is poison.
 */
export function readInventoryBody(body: string): { packed: boolean; items: BodyItem[] } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    fail("invalid_json", "message body is not JSON", "body");
  }
  if (Array.isArray(value)) {
    if (value.length === 0) fail("empty_batch", "a batch must hold at least one event", "body");
    const items = value.map((raw, index): BodyItem => {
      try {
        return { ok: true, update: readInventoryEvent(raw, `[${index}]`) };
      } catch (err) {
        if (err instanceof ValidationError) return { ok: false, index, error: err, raw };
        throw err;
      }
    });
    return { packed: true, items };
  }
  if (isRecord(value) && "specversion" in value) return { packed: false, items: [{ ok: true, update: readInventoryEvent(value, "body") }] };
  return { packed: false, items: [{ ok: true, update: readInventoryMessage(value) }] };
}
