// A bounded per-SKU record of the newest version seen and the last price
// durably emitted. Least recently used SKUs are forgotten past `max` entries
// (a forgotten SKU simply accepts its next update as new).

interface SkuRecord {
  /** Highest version seen (claimed when processing starts). */
  version: number;
  /** Last price emitted, and the version it was for. */
  price: number | null;
  priceVersion: number;
}

export class SkuTracker {
  readonly #map = new Map<string, SkuRecord>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  get size(): number {
    return this.#map.size;
  }
  get(sku: string): SkuRecord | undefined {
    const r = this.#map.get(sku);
    if (r) {
      this.#map.delete(sku);
      this.#map.set(sku, r);
    }
    return r;
  }
  /** Records that `version` is being processed; returns the record before it. */
  claim(sku: string, version: number): SkuRecord | undefined {
    const before = this.get(sku);
    const snapshot = before ? { ...before } : undefined;
    if (before) {
      before.version = Math.max(before.version, version);
    } else {
      this.#map.set(sku, { version, price: null, priceVersion: 0 });
      if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value!);
    }
    return snapshot;
  }
  priced(sku: string, version: number, price: number): void {
    const r = this.#map.get(sku);
    if (r && version >= r.priceVersion) {
      r.price = price;
      r.priceVersion = version;
    }
  }
}
