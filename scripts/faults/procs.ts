// Child processes of the fault suite: spawned with the running Node, their
// output kept as lines, resident memory sampled from /proc, and stopped by
// their own pid only.

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  lines: string[];
  exited: Promise<{ code: number | null; signal: string | null; at: number }>;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: string | null; at: number }>;
}

export function spawnNode(name: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (lines.length < 50_000) lines.push(line);
        for (const w of waiters) if (w.pattern.test(line)) (waiters.delete(w), w.resolve(line));
      }
    });
  }
  const exited = once(child, "exit").then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null, at: Date.now() }));
  const proc: Proc = {
    name,
    child,
    pid: child.pid ?? -1,
    lines,
    exited,
    waitFor(pattern, timeoutMs) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { pattern, resolve: (l: string) => (clearTimeout(timer), resolve(l)) };
        const timer = setTimeout(() => (waiters.delete(w), reject(new Error(`${name}: no ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-8).join("\n")}`))), timeoutMs);
        waiters.add(w);
        void exited.then(() => {
          if (!waiters.delete(w)) return;
          clearTimeout(timer);
          reject(new Error(`${name} exited before ${pattern}; last lines:\n${lines.slice(-8).join("\n")}`));
        });
      });
    },
    async stop(signal = "SIGTERM", timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) process.kill(proc.pid, signal);
      const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(proc.pid, "SIGKILL"), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  return proc;
}

/** Resident set size of a process in MiB (the tables' "MB"), or 0 once it is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of the processes it is given, every `everyMs`. */
export class RssSampler {
  readonly samples: Array<{ at: number; name: string; mb: number }> = [];
  #timer: NodeJS.Timeout;
  #procs = new Set<Proc>();
  constructor(everyMs = 200) {
    this.#timer = setInterval(() => {
      const at = Date.now();
      for (const p of this.#procs) {
        const mb = rssMb(p.pid);
        if (mb > 0) this.samples.push({ at, name: p.name, mb });
      }
    }, everyMs);
  }
  watch(p: Proc): void {
    this.#procs.add(p);
    void p.exited.then(() => this.#procs.delete(p));
  }
  peak(name: string, from = 0, to = Infinity): number {
    return Math.max(0, ...this.samples.filter((s) => s.name === name && s.at >= from && s.at <= to).map((s) => s.mb));
  }
  close(): void {
    clearInterval(this.#timer);
  }
}
