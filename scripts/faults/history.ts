// The history of a fault scenario and its checker (generator, history and
// checker apart, as Jepsen does): the load generator only records what it
// sent and what it was answered; decisions and dead letters are read back
// from the queues; the checker then accounts per (sku, version).

import { parseBody } from "../price-decisions.ts";

export interface SkuVersion {
  sku: string;
  version: number;
}

const keyOf = (k: SkuVersion) => `${k.sku}@${k.version}`;

function pair(x: unknown): SkuVersion | undefined {
  if (!x || typeof x !== "object") return undefined;
  const o = x as Record<string, unknown>;
  const sku = o.sku;
  const version = typeof o.version === "string" && /^\d+$/.test(o.version) ? Number(o.version) : o.version;
  return typeof sku === "string" && typeof version === "number" && Number.isSafeInteger(version) ? { sku, version } : undefined;
}

/**
 * The (sku, version) pairs one queue message carries: a single JSON object
 * ({"sku","version",...}), a CloudEvent whose `data` holds them, or a JSON
 * array of either (a batch). Anything else carries none.
 */
export function decisionPairs(body: string): SkuVersion[] {
  const parsed = parseBody(body);
  if (parsed === undefined) return [];
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const out: SkuVersion[] = [];
  for (const item of items) {
    const direct = pair(item);
    const nested = item && typeof item === "object" ? pair((item as { data?: unknown }).data) : undefined;
    const found = direct ?? nested;
    if (found) out.push(found);
  }
  return out;
}

export class History {
  /** Updates whose request was answered 202, by key. */
  readonly acked = new Map<string, number>();
  /** Every answer: status code, or the client error code (ECONNREFUSED, ECONNRESET...). */
  readonly answers = new Map<string, number>();
  readonly decided = new Map<string, number>();
  readonly dead = new Map<string, number>();
  /** Updates still stored in inventory-update-queue when a scenario that allows a backlog stops pricing. */
  readonly queued = new Set<string>();
  /** Dead letters that carry no (sku, version): the poison sent on purpose. */
  deadUnkeyed = 0;

  answer(status: string, updates: SkuVersion[]): void {
    this.answers.set(status, (this.answers.get(status) ?? 0) + 1);
    if (status === "202") for (const u of updates) this.acked.set(keyOf(u), (this.acked.get(keyOf(u)) ?? 0) + 1);
  }

  decision(body: string): void {
    for (const k of decisionPairs(body)) this.decided.set(keyOf(k), (this.decided.get(keyOf(k)) ?? 0) + 1);
  }

  stillQueued(body: string): void {
    for (const k of decisionPairs(body)) this.queued.add(keyOf(k));
  }

  deadLetter(body: string): void {
    const pairs = decisionPairs(body);
    if (pairs.length === 0) this.deadUnkeyed++;
    for (const k of pairs) this.dead.set(keyOf(k), (this.dead.get(keyOf(k)) ?? 0) + 1);
  }
}

export interface Verdict {
  accepted: number;
  /** Non-202 answers by code, e.g. "503:12 ECONNREFUSED:3". */
  others: string;
  resets: number;
  decided: number;
  lost: number;
  duplicates: number;
  inDlq: number;
  /** Acknowledged updates not priced yet but stored in the queue (a backlog, not a loss). */
  queued: number;
  lostExamples: string[];
}

/**
 * lost = acknowledged, never decided, not in the DLQ and not still stored in
 * the queue; duplicate = decided more than once.
 */
export function check(h: History): Verdict {
  const lostKeys = [...h.acked.keys()].filter((k) => !h.decided.has(k) && !h.dead.has(k) && !h.queued.has(k));
  const others = [...h.answers.entries()]
    .filter(([code]) => code !== "202")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}:${n}`)
    .join(" ");
  return {
    accepted: h.acked.size,
    others: others || "-",
    resets: [...h.answers.entries()].filter(([code]) => /ECONNRESET|UND_ERR_SOCKET|EPIPE/.test(code)).reduce((a, [, n]) => a + n, 0),
    decided: [...h.acked.keys()].filter((k) => h.decided.has(k)).length,
    lost: lostKeys.length,
    duplicates: [...h.decided.values()].filter((n) => n > 1).length,
    inDlq: [...h.dead.values()].reduce((a, n) => a + n, 0) + h.deadUnkeyed,
    queued: [...h.acked.keys()].filter((k) => !h.decided.has(k) && h.queued.has(k)).length,
    lostExamples: lostKeys.slice(0, 5),
  };
}
