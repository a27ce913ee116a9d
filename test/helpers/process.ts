// Child processes for integration tests: spawn with the pinned Node, wait for
// a log line, collect output, and stop with a signal.

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";

export interface Child {
  proc: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process exits by itself. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(args: string[], env: Record<string, string>, cwd = process.cwd()): Child {
  const proc = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  for (const stream of [proc.stdout, proc.stderr]) {
    let buffer = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf("\n")) >= 0) {
        onLine(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
  }
  const exited = once(proc, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    proc,
    lines,
    exited: exited.then(([code, signal]) => ({ code, signal })),
    waitFor(pattern, timeoutMs = 10_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${lines.slice(-20).join("\n")}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before ${pattern}; output:\n${lines.slice(-20).join("\n")}`));
        });
      });
    },
    async stop(signal = "SIGTERM", timeoutMs = 15_000) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
      const [code, sig] = await exited;
      clearTimeout(timer);
      return { code, signal: sig };
    },
  };
}
