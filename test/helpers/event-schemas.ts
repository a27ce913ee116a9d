// The JSON Schemas in schemas/ compiled with ajv (draft 2020-12, formats on):
// tests run every event the code produces through them.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { EVENT_TYPES } from "../../src/shared/events.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const load = (file: string) => ajv.compile(JSON.parse(readFileSync(join(ROOT, "schemas", file), "utf8")));
const validators = {
  [EVENT_TYPES.inventoryUpdated]: load("inventory-updated.schema.json"),
  [EVENT_TYPES.priceDecided]: load("price-decided.schema.json"),
};

/** Schema errors of one event, chosen by its type; an unknown type is an error. */
export function eventErrors(event: unknown): string[] {
  const type = (event as { type?: string })?.type ?? "";
  const validate = validators[type as keyof typeof validators];
  if (!validate) return [`no schema for type ${JSON.stringify(type)}`];
  return validate(event) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/** Every event of a batch-format body, each checked; returns the events. */
export function validBatch(body: string): Array<{ type: string; id: string; data: any }> {
  const events = JSON.parse(body);
  if (!Array.isArray(events)) throw new Error("not a CloudEvents batch");
  for (const e of events) {
    const errors = eventErrors(e);
    if (errors.length) throw new Error(`event ${e?.id} breaks its schema: ${errors.join("; ")}`);
  }
  return events;
}
