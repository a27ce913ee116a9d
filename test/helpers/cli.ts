// Runs one of the repository's command-line scripts the way npm does: the
// Node running the tests, only the environment given (plus PATH).

import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
}

/** Runs `scripts/<script>` with `args` and waits for it. */
export function cli(script: string, args: string[], o: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", script), ...args], { cwd: o.cwd, env: { PATH: process.env.PATH ?? "", ...o.env }, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** As cli(), without blocking the event loop (for a script that talks to a server in this process); killed after `timeoutMs`. */
export function cliAsync(script: string, args: string[], o: CliOptions & { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, "scripts", script), ...args], { cwd: o.cwd, env: { PATH: process.env.PATH ?? "", ...o.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), o.timeoutMs ?? 30_000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
