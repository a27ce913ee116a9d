// CloudEvents: what the services produce validates against schemas/, and the
// reader refuses a malformed event naming the field while tolerating
// extension attributes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { ValidationError } from "../../src/shared/errors.ts";
import { EVENT_TYPES, inventoryUpdatedEvent, priceDecidedEvent, readInventoryBody, readInventoryEvent, batchBody } from "../../src/shared/events.ts";
import { readPriceDecisions } from "../../scripts/price-decisions.ts";
import { eventErrors } from "../helpers/event-schemas.ts";

const update = inventoryUpdatedEvent({ sku: "ABC-1", quantity: 3, version: 7, warehouse: "berlin-1", occurredAt: "2026-11-24T10:00:00Z" }, "u-1", "req-1", "2026-11-24T10:00:01.000Z");
const decision = priceDecidedEvent({ sku: "ABC-1", version: 7, quantity: 3, currency: "EUR", price: 1299, previousPrice: null, rule: "band:low", updateId: "u-1" }, "2026-11-24T10:00:02.000Z");

test("both event types validate against their schemas; the schemas refuse what the reader refuses", () => {
  assert.deepEqual(eventErrors(update), []);
  assert.deepEqual(eventErrors(decision), []);
  assert.equal(update.type, EVENT_TYPES.inventoryUpdated);
  assert.notDeepEqual(eventErrors({ ...update, data: { ...update.data, quantity: -1 } }), []);
  assert.notDeepEqual(eventErrors({ ...update, specversion: "0.3" }), []);
  assert.notDeepEqual(eventErrors({ ...decision, data: { ...decision.data, price: 12.5 } }), [], "money is integer minor units");
  assert.notDeepEqual(eventErrors({ ...decision, time: "yesterday" }), []);
});

test("a malformed event is refused with a code and the field's path", () => {
  const cases: Array<[unknown, string, string]> = [
    [{ ...update, specversion: "1.1" }, "unknown_specversion", "[0].specversion"],
    [{ ...update, type: "inventory.updated" }, "unknown_type", "[0].type"],
    [{ ...update, id: "" }, "invalid_type", "[0].id"],
    [{ ...update, time: "2026-13-01T00:00:00Z" }, "invalid_format", "[0].time"],
    [{ ...update, datacontenttype: "text/xml" }, "unknown_content_type", "[0].datacontenttype"],
    [{ ...update, data: { ...update.data, sku: "bad sku" } }, "invalid_format", "[0].data.sku"],
    [{ ...update, data: { ...update.data, extra: 1 } }, "unknown_field", "[0].data.extra"],
    [{ ...update, data: { ...update.data, requestId: undefined } }, "invalid_type", "[0].data.requestId"],
    ["text", "invalid_type", "[0]"],
  ];
  for (const [value, code, field] of cases) {
    assert.throws(() => readInventoryEvent(value, "[0]"), (e: unknown) => e instanceof ValidationError && e.code === code && e.field === field, `${code} ${field}`);
  }
  assert.equal(readInventoryEvent({ ...update, traceparent: "00-1-2-01" }, "[0]").id, "u-1", "extension attributes are tolerated");
});

test("a batch body reads each event on its own; a price body reads back its decisions", () => {
  const body = batchBody([JSON.stringify(update), JSON.stringify({ nope: 1 }), JSON.stringify({ ...update, id: "u-2" })]);
  const read = readInventoryBody(body);
  assert.equal(read.packed, true);
  assert.deepEqual(read.items.map((i) => i.ok), [true, false, true]);
  assert.deepEqual(readPriceDecisions(batchBody([JSON.stringify(decision)])).map((d) => d.price), [1299]);
  assert.deepEqual(readPriceDecisions("not json"), []);
});
