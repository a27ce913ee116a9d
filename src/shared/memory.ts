// Gives memory back after a burst. Under load V8 grows its young generation
// (to 128 MiB at 256 connections); when the load stops it shrinks it again,
// but the freed 256 KiB pages stay resident in V8's page pool until the next
// full (mark-compact) GC. A burst of short-lived requests only ever runs
// scavenges, and an idle process allocates nothing that would start a full
// GC, so inventory measured 187 MB RSS after a 15 s overload against a 72 MB
// baseline, for as long as it stayed idle. One "last-resort" full GC (V8's
// low-memory notification), run once the event loop has gone quiet, hands the
// pool back within half a second (about 40 ms of GC on an idle process):
// 195 -> 106 MB in the same run. (A regular full GC only starts V8's memory
// reducer, which returns the pool 8 s later.) What stays above the baseline is malloc's
// arena (freed, but fragmented, so glibc cannot trim it) and code pages the
// burst touched: see "Memory bound" in the README.

import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Logger } from "./log.ts";
import { systemClock } from "./clock.ts";

/** RSS growth since the last release (or the start) below which an idle check does nothing. */
export const RELEASE_GROWTH_BYTES = 16 * 1024 * 1024;
/** Event-loop utilization over one check window below which the process counts as idle. */
export const IDLE_UTILIZATION = 0.05;

type GcFunction = (options?: { type: "major"; execution: "sync"; flavor?: "regular" | "last-resort" }) => void;

/**
 * V8's last-resort full GC: `gc` when Node runs with --expose-gc, otherwise the one a new
 * context gets while the flag is briefly on (the flag is turned off again, so
 * no other code sees a `gc` global).
 */
export function fullGc(): () => void {
  let gc = (globalThis as { gc?: GcFunction }).gc;
  if (typeof gc !== "function") {
    setFlagsFromString("--expose-gc");
    try {
      gc = runInNewContext("gc") as GcFunction;
    } finally {
      setFlagsFromString("--no-expose-gc");
    }
  }
  const run = gc;
  return () => run({ type: "major", execution: "sync", flavor: "last-resort" });
}

/** Event-loop utilization (0-1) since the previous call. */
function utilizationSinceLastCall(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, last);
    last = now;
    return delta.utilization;
  };
}

interface MemoryReleaseOptions {
  /** Check window; 0 turns releasing off. */
  idleMs: number;
  log: Logger;
  rss?: () => number;
  /** Utilization since the previous call. */
  utilization?: () => number;
  gc?: () => void;
  /** How long after the GC the RSS it returned is read (the pool is unmapped in the background). */
  settleMs?: number;
}

interface MemoryRelease {
  /** One check: releases when the window was idle and RSS grew enough. Resolves true when it released. */
  check(): Promise<boolean>;
  stop(): void;
}

export function createMemoryRelease(o: MemoryReleaseOptions): MemoryRelease {
  if (o.idleMs <= 0) return { check: async () => false, stop: () => {} };
  const rss = o.rss ?? (() => process.memoryUsage.rss());
  const utilization = o.utilization ?? utilizationSinceLastCall();
  let gc = o.gc;
  const settleMs = o.settleMs ?? 1000;
  let floor = rss();
  let running = false;

  async function check(): Promise<boolean> {
    const busy = utilization();
    if (running || busy >= IDLE_UTILIZATION) return false;
    const before = rss();
    if (before - floor < RELEASE_GROWTH_BYTES) {
      floor = Math.min(floor, before);
      return false;
    }
    running = true;
    try {
      gc ??= fullGc();
      const started = systemClock.now();
      gc();
      const gcMs = Math.round(systemClock.now() - started);
      if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs).unref());
      const after = rss();
      floor = after;
      const mb = (b: number) => Math.round(b / 1048576);
      o.log.info("memory.released", { rssBeforeMb: mb(before), rssAfterMb: mb(after), gcMs });
      return true;
    } finally {
      // The check window starts after the release, so the GC's own time is not read as load.
      utilization();
      running = false;
    }
  }

  const timer = setInterval(() => void check().catch((err: unknown) => o.log.warn("memory.release_failed", { err })), o.idleMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
