// Reads the price decisions out of a price-change-queue message body, for the
// local tools (npm run send) and the tests that look at the queue.

import { EVENT_TYPES } from "../src/shared/events.ts";
import type { PriceDecidedData } from "../src/shared/price-decision.ts";
import { isRecord } from "../src/shared/validation.ts";

/**
 * The decisions a price-change-queue message holds, for readers such as the
 * local tools: each price.decided event's data of a batch, or the older
 * one-decision message as it is. Anything else yields nothing.
 */
export function readPriceDecisions(body: string): PriceDecidedData[] {
  const value = parseBody(body);
  if (Array.isArray(value)) return value.filter((e) => isRecord(e) && e.type === EVENT_TYPES.priceDecided && isRecord(e.data)).map((e) => e.data as PriceDecidedData);
  if (isRecord(value) && value.type === "price.decided") return [value as unknown as PriceDecidedData];
  return [];
}

/** A queue message body parsed as JSON; undefined when it is not JSON. */
export function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
