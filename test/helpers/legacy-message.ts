// Messages of the format before CloudEvents, as an older inventory sent them:
// the tests and the bench's naive variant write them; pricing only reads them
// (src/shared/legacy-message.ts).

import { readInventoryMessage, type InventoryUpdatedMessage } from "../../src/shared/legacy-message.ts";
import type { InventoryUpdate } from "../../src/shared/update.ts";
import { fail } from "../../src/shared/validation.ts";

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
