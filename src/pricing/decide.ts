// The price decision: a pure function of (update, policy). The same update
// and policy always give the same price, so duplicate deliveries are harmless.
//
// 1. base: the SKU's own price, else the longest matching prefix's.
// 2. band: the first band whose `below` exceeds the quantity adjusts the base
//    by its percent (integer arithmetic, half up).
// 3. limits: clamp to [base x floorPercent, base x ceilingPercent].
// 4. ending: move to a price ending in `ending` minor units (nearest, ties up;
//    or always up / down), staying inside the limits; when no such price
//    fits, the clamped price stands.

import type { Policy } from "./policy.ts";

type Decision =
  | { kind: "priced"; price: number; base: number; rule: string }
  | { kind: "unknown" };

function basePrice(sku: string, policy: Policy): number | undefined {
  const own = policy.skus.get(sku);
  if (own !== undefined) return own;
  for (const [prefix, price] of policy.prefixes) if (sku.startsWith(prefix)) return price;
  return undefined;
}

/** Integer a*b/100, rounded half up (a, b non-negative and small enough for exact doubles). */
function percentOf(amount: number, percent: number): number {
  return Math.floor((amount * percent + 50) / 100);
}

function withEnding(price: number, ending: number, mode: Policy["rounding"]): number {
  const down = price - ((((price - ending) % 100) + 100) % 100);
  if (down === price) return price;
  const up = down + 100;
  if (mode === "down") return down;
  if (mode === "up") return up;
  return price - down < up - price ? down : up;
}

export function decide(update: { sku: string; quantity: number }, policy: Policy): Decision {
  const base = basePrice(update.sku, policy);
  if (base === undefined) return { kind: "unknown" };
  const band = policy.bands.find((b) => b.below === undefined || update.quantity < b.below) ?? policy.bands[policy.bands.length - 1];
  let price = percentOf(base, 100 + band.adjustPercent);
  let rule = `band:${band.name}`;

  const floor = Math.max(1, Math.ceil((base * policy.floorPercent) / 100));
  const ceiling = Math.floor((base * policy.ceilingPercent) / 100);
  if (price < floor) {
    price = floor;
    rule += "+floor";
  } else if (price > ceiling) {
    price = ceiling;
    rule += "+ceiling";
  }

  if (policy.ending !== undefined) {
    let rounded = withEnding(price, policy.ending, policy.rounding);
    if (rounded > ceiling) rounded -= 100;
    if (rounded < floor) rounded += 100;
    if (rounded >= floor && rounded <= ceiling) price = rounded;
  }
  return { kind: "priced", price, base, rule };
}
