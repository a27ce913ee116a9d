// Waiting for something to happen: poll a condition with a bound, never a
// sleep that guesses how long the machine needs. The bound is generous (a busy
// runner is slow, not wrong); a timeout fails the test naming what was awaited.

import { setTimeout as sleep } from "node:timers/promises";

export interface UntilOptions {
  /** The longest wait, ms (default 10 s). */
  timeoutMs?: number;
  /** Between checks, ms (default 5). */
  intervalMs?: number;
  /** Named in the error on timeout. */
  what?: string;
}

/** Resolves once `condition` holds; throws when it still does not after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, o: UntilOptions = {}): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const end = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > end) throw new Error(`${o.what ?? "condition"} not met within ${timeoutMs} ms`);
    await sleep(o.intervalMs ?? 5);
  }
}

/** A promise with its resolve function outside: a gate a test opens when it chooses. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** As until(), but resolves whether the condition held instead of throwing: the caller's assertion then says what was missing. */
export async function eventually(condition: () => boolean | Promise<boolean>, o: UntilOptions = {}): Promise<boolean> {
  return until(condition, o).then(
    () => true,
    () => false,
  );
}
