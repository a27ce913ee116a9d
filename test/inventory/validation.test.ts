import assert from "node:assert/strict";
import { test } from "node:test";
import { parseUpdates } from "../../src/inventory/app.ts";
import { ValidationError } from "../../src/shared/errors.ts";
import { parseInventoryMessage } from "../helpers/legacy-message.ts";
import { isRfc3339 } from "../../src/shared/rfc3339.ts";
import { validateUpdate } from "../../src/shared/update.ts";

const NOW = 1_764_000_000_000;

const invalid: Array<[string, unknown, string, string]> = [
  ["not an object", 42, "invalid_type", "body"],
  ["null", null, "invalid_type", "body"],
  ["missing sku", { quantity: 1 }, "missing_field", "sku"],
  ["sku not a string", { sku: 12, quantity: 1 }, "invalid_type", "sku"],
  ["empty sku", { sku: "", quantity: 1 }, "out_of_range", "sku"],
  ["sku too long", { sku: "A".repeat(65), quantity: 1 }, "out_of_range", "sku"],
  ["sku starts with a dot", { sku: ".ABC", quantity: 1 }, "invalid_format", "sku"],
  ["sku with a space", { sku: "AB C", quantity: 1 }, "invalid_format", "sku"],
  ["sku with a slash", { sku: "AB/C", quantity: 1 }, "invalid_format", "sku"],
  ["missing quantity", { sku: "A" }, "missing_field", "quantity"],
  ["quantity as string", { sku: "A", quantity: "3" }, "invalid_type", "quantity"],
  ["fractional quantity", { sku: "A", quantity: 1.5 }, "invalid_type", "quantity"],
  ["negative quantity", { sku: "A", quantity: -1 }, "out_of_range", "quantity"],
  ["quantity too large", { sku: "A", quantity: 1_000_000_001 }, "out_of_range", "quantity"],
  ["version zero", { sku: "A", quantity: 1, version: 0 }, "out_of_range", "version"],
  ["version fractional", { sku: "A", quantity: 1, version: 1.5 }, "invalid_type", "version"],
  ["version as string", { sku: "A", quantity: 1, version: "7" }, "invalid_type", "version"],
  ["version beyond safe integers", { sku: "A", quantity: 1, version: 2 ** 53 }, "out_of_range", "version"],
  ["empty warehouse", { sku: "A", quantity: 1, warehouse: "" }, "out_of_range", "warehouse"],
  ["warehouse too long", { sku: "A", quantity: 1, warehouse: "w".repeat(65) }, "out_of_range", "warehouse"],
  ["warehouse not a string", { sku: "A", quantity: 1, warehouse: 3 }, "invalid_type", "warehouse"],
  ["warehouse with a newline", { sku: "A", quantity: 1, warehouse: "a\nb" }, "invalid_format", "warehouse"],
  ["occurredAt not a date", { sku: "A", quantity: 1, occurredAt: "yesterday" }, "invalid_format", "occurredAt"],
  ["occurredAt without zone", { sku: "A", quantity: 1, occurredAt: "2026-11-24T10:00:00" }, "invalid_format", "occurredAt"],
  ["occurredAt 30 February", { sku: "A", quantity: 1, occurredAt: "2026-02-30T10:00:00Z" }, "invalid_format", "occurredAt"],
  ["unknown field", { sku: "A", quantity: 1, price: 3 }, "unknown_field", "price"],
];

for (const [name, input, code, field] of invalid) {
  test(`validateUpdate rejects ${name} with ${code} on ${field}`, () => {
    assert.throws(
      () => validateUpdate(input, "", NOW),
      (err: unknown) => err instanceof ValidationError && err.code === code && err.field === field,
    );
  });
}

test("validateUpdate accepts every field and fills a missing version with the receive time", () => {
  assert.deepEqual(validateUpdate({ sku: "ABC-1", quantity: 0 }, "", NOW), { sku: "ABC-1", quantity: 0, version: NOW });
  const full = { sku: "a.B_c-9", quantity: 1_000_000_000, version: 7, warehouse: "Köln Süd", occurredAt: "2026-11-24T21:40:00.123+01:00" };
  assert.deepEqual(validateUpdate(full, "", NOW), full);
  assert.equal(validateUpdate({ sku: "S".repeat(64), quantity: 1 }, "", NOW).sku.length, 64);
});

test("parseUpdates names the array index in the field path", () => {
  const body = [{ sku: "A", quantity: 1 }, { sku: "B", quantity: 2 }, { sku: "C", quantity: 3 }, { sku: "D", quantity: "x" }];
  assert.throws(
    () => parseUpdates(body, NOW),
    (err: unknown) => err instanceof ValidationError && err.field === "[3].quantity" && err.code === "invalid_type",
  );
});

test("parseUpdates takes 1 to 500 updates", () => {
  assert.equal(parseUpdates({ sku: "A", quantity: 1 }, NOW).length, 1);
  assert.equal(parseUpdates(Array.from({ length: 500 }, (_, i) => ({ sku: `S${i}`, quantity: i })), NOW).length, 500);
  assert.throws(() => parseUpdates([], NOW), (e: unknown) => e instanceof ValidationError && e.code === "empty_batch");
  assert.throws(
    () => parseUpdates(Array.from({ length: 501 }, () => ({ sku: "A", quantity: 1 })), NOW),
    (e: unknown) => e instanceof ValidationError && e.code === "too_many_updates",
  );
});

test("isRfc3339 follows the grammar and the calendar", () => {
  for (const ok of ["2026-11-24T21:40:00Z", "2024-02-29T00:00:00.5+14:00", "2026-01-01t00:00:00z", "2026-12-31 23:59:60Z"]) assert.ok(isRfc3339(ok), ok);
  for (const bad of ["2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24", "2026-11-24T10:00:00+25:00"]) assert.ok(!isRfc3339(bad), bad);
});

const poison: Array<[string, string, string]> = [
  ["not JSON", "{nope", "invalid_json"],
  ["a JSON array", "[]", "invalid_type"],
  ["another type", JSON.stringify({ type: "order.created", schemaVersion: 1 }), "unknown_type"],
  ["a future schema", JSON.stringify({ type: "inventory.updated", schemaVersion: 2, sku: "A", quantity: 1, version: 1 }), "unknown_schema_version"],
  ["a missing version", JSON.stringify({ type: "inventory.updated", schemaVersion: 1, id: "i", requestId: "r", receivedAt: "t", sku: "A", quantity: 1 }), "missing_field"],
  ["a missing id", JSON.stringify({ type: "inventory.updated", schemaVersion: 1, requestId: "r", receivedAt: "t", sku: "A", quantity: 1, version: 1 }), "invalid_type"],
];
for (const [name, body, code] of poison) {
  test(`parseInventoryMessage rejects ${name} (${code})`, () => {
    assert.throws(() => parseInventoryMessage(body), (e: unknown) => e instanceof ValidationError && e.code === code);
  });
}
