// The one way a call is retried: attempts, a test of whether the error is worth
// another one, and exponential backoff with full jitter between them. Every
// loop that retries a call uses retry(); the publisher's re-queue and pricing's
// visibility backoff reuse backoffMs only (they say why where they do).

import { systemClock, type Clock } from "./clock.ts";

/** Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempt)). */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

interface RetryOptions {
  /** Calls in all, counting the first; Infinity retries until `signal` aborts. */
  attempts: number;
  /** False for an error that another call cannot cure: it is thrown at once. All errors by default. */
  isRetriable?: (err: unknown) => boolean;
  /** Backoff before retry n (from 0) is floor + a random delay in [0, min(cap, base * 2^n)) ms. */
  base: number;
  cap: number;
  /** Added to every delay, so that retries never come back to back. */
  floor?: number;
  clock?: Clock;
  /** Aborting ends the wait and the loop: the last error is thrown. */
  signal?: AbortSignal;
  /** Called before each wait, with the error and the delay (for the log line). */
  onRetry?: (err: unknown, delayMs: number) => void;
}

/** Calls `fn` until it resolves; throws its last error when attempts run out, the error is not retriable, or `signal` aborts. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const clock = o.clock ?? systemClock;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt + 1 >= o.attempts || o.signal?.aborted || (o.isRetriable && !o.isRetriable(err))) throw err;
      const delay = backoffMs(Math.min(attempt, 30), o.base, o.cap) + (o.floor ?? 0);
      o.onRetry?.(err, delay);
      await clock.sleep(delay, o.signal);
      if (o.signal?.aborted) throw err;
    }
  }
}
