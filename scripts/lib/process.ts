// Child processes and ports for the scripts, the bench and the tests, in one
// place: spawn with the running Node, keep the output as lines, wait for a
// log line, stop by the child's own pid (SIGKILL after a timeout); resident
// memory from /proc; a free port on 127.0.0.1.

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() at the exit. */
  at: number;
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Output lines, stdout and stderr interleaved (the first 50,000). */
  lines: string[];
  /** Resolves when the process exits, by itself or stopped. */
  exited: Promise<Exit>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

const MAX_LINES = 50_000;

export interface SpawnExtras {
  /** Own process group: a terminal's Ctrl-C reaches only the parent, which then stops the child itself. */
  detached?: boolean;
  /** Every output line as it arrives (all of them, also past the kept 50,000). */
  onLine?: (line: string, fromStderr: boolean) => void;
}

/** Runs `node <args>` with only PATH and `env` in its environment. */
export function spawnNode(name: string, args: string[], env: Record<string, string>, cwd = process.cwd(), extras: SpawnExtras = {}): Child {
  const proc = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"], detached: extras.detached ?? false });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  for (const stream of [proc.stdout, proc.stderr]) {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (lines.length < MAX_LINES) lines.push(line);
        extras.onLine?.(line, stream === proc.stderr);
        for (const w of waiters) if (w.pattern.test(line)) (waiters.delete(w), w.resolve(line));
      }
    });
  }
  const exited = once(proc, "exit").then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, at: Date.now() }));
  const pid = proc.pid ?? -1;
  const running = () => proc.exitCode === null && proc.signalCode === null;
  return {
    name,
    proc,
    pid,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 10_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = { pattern, resolve: (l: string) => (clearTimeout(timer), resolve(l)) };
        const timer = setTimeout(() => (waiters.delete(w), reject(new Error(`${name}: no ${pattern} within ${timeoutMs} ms; last lines:\n${lines.slice(-20).join("\n")}`))), timeoutMs);
        waiters.add(w);
        void exited.then(() => {
          if (!waiters.delete(w)) return;
          clearTimeout(timer);
          reject(new Error(`${name} exited before ${pattern}; last lines:\n${lines.slice(-20).join("\n")}`));
        });
      });
    },
    async stop(signal = "SIGTERM", timeoutMs = 15_000) {
      if (running()) process.kill(pid, signal);
      const timer = setTimeout(() => running() && process.kill(pid, "SIGKILL"), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** spawnNode for a child that needs no name in its messages. */
export function startChild(args: string[], env: Record<string, string>, cwd = process.cwd()): Child {
  return spawnNode("child", args, env, cwd);
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

/**
 * `n` distinct TCP ports free on 127.0.0.1 right now: all are held at once
 * before any is released, so the system cannot hand the same port out twice
 * (ports asked for one after the other can come back equal).
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  await Promise.all(servers.map((s) => new Promise<void>((ok) => s.listen(0, "127.0.0.1", () => ok()))));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}
