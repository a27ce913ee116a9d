// The one-update message format that predates CloudEvents (src/shared/events.ts).
// Pricing still reads it, since both formats share the queue during a rolling
// upgrade; its shape is also the one the pricing logic works on.

import { UPDATE_FIELDS, validateUpdate, type InventoryUpdate } from "./update.ts";
import { fail, isRecord } from "./validation.ts";

export interface InventoryUpdatedMessage extends InventoryUpdate {
  type: "inventory.updated";
  schemaVersion: 1;
  /** Unique per update; the id returned to the sender in the 202. */
  id: string;
  requestId: string;
  receivedAt: string;
}

const MESSAGE_FIELDS = new Set([...UPDATE_FIELDS, "type", "schemaVersion", "id", "requestId", "receivedAt"]);

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
