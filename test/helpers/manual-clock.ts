// A clock that moves only when the test says so: advance(ms) fires every
// timer that falls due, in order, letting promise callbacks run in between.

import type { Clock, TimerHandle } from "../../src/shared/clock.ts";

interface Timer {
  at: number;
  every: number | undefined;
  fn: () => void;
}

export class ManualClock implements Clock {
  #now = 0;
  #timers = new Map<number, Timer>();
  #next = 1;

  now(): number {
    return this.#now;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms, undefined);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms, Math.max(1, ms));
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    this.#timers.delete(handle as unknown as number);
  }
  clearInterval(handle: TimerHandle | undefined): void {
    this.#timers.delete(handle as unknown as number);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.setTimeout(resolve, ms);
      signal?.addEventListener("abort", () => (this.clearTimeout(handle), resolve()), { once: true });
    });
  }
  /** Timers not yet fired. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing what falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await flush();
      const due = [...this.#timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, t] = due;
      this.#now = t.at;
      if (t.every === undefined) this.#timers.delete(id);
      else t.at += t.every;
      t.fn();
    }
    this.#now = end;
    await flush();
  }

  #add(fn: () => void, ms: number, every: number | undefined): TimerHandle {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), every, fn });
    return id as unknown as TimerHandle;
  }
}

/** Lets pending promise callbacks (and the I/O-free work they start) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}
