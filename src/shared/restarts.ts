// Container restarts seen from inside the pod. Kubernetes keeps a pod's
// emptyDir across a restart of its container (an OOM kill, a crash) and
// empties it only with the pod; so each start appends a line to a file
// there, and a start that finds earlier lines is a restart. A new pod (a
// deploy, a scale-out) starts with an empty directory and counts none.

import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";

const STARTS_FILE = "container-starts";

/** Records this start in dir and returns how many starts the file held before it (0 in a new pod). */
export function recordStart(dir: string, now: number): number {
  const file = join(dir, STARTS_FILE);
  let before = 0;
  try {
    before = readFileSync(file, "utf8").split("\n").filter(Boolean).length;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  appendFileSync(file, `${now}\n`);
  return before;
}

/**
 * 1 while the process is within windowMs of a start that was a restart,
 * else 0: the gauge an alarm reads, so one restart raises it once and it
 * returns to OK by itself.
 */
export function restartedWithin(restartsBefore: number, startedAt: number, windowMs: number, now: () => number): () => number {
  return () => (restartsBefore > 0 && now() - startedAt < windowMs ? 1 : 0);
}
