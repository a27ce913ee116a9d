// What pricing decides for one update: the data of a price.decided event
// (src/shared/events.ts), and the fields of the older one-decision message.

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
