// The one file watcher: polls a file, compares its content with the version in
// force, parses a new one, and keeps the old value when the new one is broken.
// Kubernetes updates a mounted ConfigMap or Secret by swapping a symlink, which
// fs.watch misses; comparing the content every `intervalMs` catches every change.
// A broken version is reported once, not on every check.

import { readFileSync } from "node:fs";
import { systemClock, type Clock } from "./clock.ts";

interface FileWatchOptions<T> {
  path: string;
  /** The content in force when watching starts; "" when it could not be read. */
  initial: string;
  /** Turns the text into the value; throws for a version that must not take effect. */
  parse: (text: string) => T;
  /** A new valid version took effect. */
  onChange: (value: T, text: string) => void;
  onUnreadable: (err: NodeJS.ErrnoException) => void;
  onRejected: (err: Error) => void;
  clock?: Clock;
}

export interface FileWatch {
  /** Reads the file once; true when a new valid version took effect. */
  check(): boolean;
  /** Calls check() every `intervalMs` (0 or less: never) until stop(). */
  start(intervalMs: number): void;
  stop(): void;
}

export function watchFile<T>(o: FileWatchOptions<T>): FileWatch {
  const clock = o.clock ?? systemClock;
  let last = o.initial;
  let timer: ReturnType<Clock["setInterval"]> | undefined;
  const check = (): boolean => {
    let text: string;
    try {
      text = readFileSync(o.path, "utf8");
    } catch (err) {
      o.onUnreadable(err as NodeJS.ErrnoException);
      return false;
    }
    if (text === last) return false;
    last = text;
    let value: T;
    try {
      value = o.parse(text);
    } catch (err) {
      o.onRejected(err as Error);
      return false;
    }
    o.onChange(value, text);
    return true;
  };
  return {
    check,
    start(intervalMs) {
      if (intervalMs <= 0 || timer !== undefined) return;
      timer = clock.setInterval(check, intervalMs);
      timer.unref();
    },
    stop: () => clock.clearInterval(timer),
  };
}
