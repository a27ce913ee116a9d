// The bounded load client of the fault suite: `connections` workers, each
// with its own keep-alive connection (an undici Client), sending POST
// /v1/inventory back to back with `perRequest` updates of unique (sku,
// version), until `durationMs` or `maxRequests` is reached or `signal`
// aborts. Every answer goes into the history; the client never judges.

import { Client } from "undici";
import type { History, SkuVersion } from "./history.ts";

export interface LoadOptions {
  url: string;
  token: string;
  connections: number;
  perRequest: number;
  durationMs: number;
  maxRequests: number;
  history: History;
  /** SKU prefix; the example policy prices "ABC-" SKUs. */
  skuPrefix: string;
  signal?: AbortSignal;
  /** Pause after an error or a 503, so a refused connection does not spin. */
  backoffMs?: number;
  /** A worker answered `Connection: close` goes away (as a load balancer would send it elsewhere). */
  leaveOnClose?: boolean;
  /** Called once every worker has had an answer: all connections are open and in use. */
  onAllAnswered?: () => void;
}

export interface LoadResult {
  requests: number;
  latenciesMs: number[];
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  const until = Date.now() + o.durationMs;
  let sent = 0;
  let serial = 0;
  const latenciesMs: number[] = [];
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const answered = new Set<number>();
  const seen = (w: number) => {
    if (answered.has(w)) return;
    answered.add(w);
    if (answered.size === o.connections) o.onAllAnswered?.();
  };
  const worker = async (w: number) => {
    const client = new Client(o.url, { pipelining: 1, connectTimeout: 2000, headersTimeout: 30_000, bodyTimeout: 30_000 });
    while (Date.now() < until && sent < o.maxRequests && !o.signal?.aborted) {
      sent++;
      const updates: SkuVersion[] = Array.from({ length: o.perRequest }, () => ({ sku: `${o.skuPrefix}${w}-${serial++}`, version: 1 }));
      const body = JSON.stringify(updates.map((u, i) => ({ ...u, quantity: i % 20 })));
      const started = Date.now();
      try {
        const res = await client.request({
          path: "/v1/inventory",
          method: "POST",
          headers: { authorization: `Bearer ${o.token}`, "content-type": "application/json" },
          body,
        });
        await res.body.dump();
        o.history.answer(String(res.statusCode), updates);
        seen(w);
        if (res.statusCode === 202) latenciesMs.push(Date.now() - started);
        if (o.leaveOnClose && res.headers.connection === "close") break;
        if (res.statusCode !== 202) await pause(o.backoffMs ?? 50);
      } catch (err) {
        o.history.answer((err as { code?: string }).code ?? (err as Error).name, updates);
        await pause(o.backoffMs ?? 50);
      }
    }
    await client.close().catch(() => {});
  };
  await Promise.all(Array.from({ length: o.connections }, (_, w) => worker(w)));
  return { requests: sent, latenciesMs };
}

/** The p-th percentile (0-100) of `values`, 0 when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
