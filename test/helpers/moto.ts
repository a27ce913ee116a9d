// moto, the AWS emulator of the apply tier: whether it is installed in the
// pinned version, and starting/stopping test/apply/moto_server.py (moto
// with the answers that differ from AWS patched) on a free loopback port.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";

const HERE = join(import.meta.dirname, "..", "apply");

/** The pinned moto release: test/apply/requirements.txt, the one place it is written. */
export function pinnedMoto(): string {
  const m = /^moto\[server\]==(\S+)$/m.exec(readFileSync(join(HERE, "requirements.txt"), "utf8"));
  if (!m) throw new Error("test/apply/requirements.txt does not pin moto[server]==<version>");
  return m[1];
}

/** The python that runs moto: APPLY_PYTHON, or python3. */
export function python(env = process.env): string {
  return env.APPLY_PYTHON || "python3";
}

/** Why moto cannot be used here (naming what is missing), or undefined. */
export function motoUnavailable(env = process.env): string | undefined {
  const py = python(env);
  const r = spawnSync(py, ["-c", "import moto, moto.server, boto3; print(moto.__version__)"], { encoding: "utf8", env });
  if (r.error) return `${py} is not installed here (${(r.error as NodeJS.ErrnoException).code}); the apply tier runs moto in it: pip install moto[server]==${pinnedMoto()}`;
  if (r.status !== 0) return `moto is not installed in ${py} (import moto failed: ${(r.stderr.trim().split("\n").pop() ?? "").slice(0, 200)}); pip install moto[server]==${pinnedMoto()}`;
  const have = r.stdout.trim();
  if (have !== pinnedMoto()) return `moto ${have} is installed in ${py}; the apply tier is pinned to ${pinnedMoto()} (test/apply/requirements.txt), whose answers its patches and its left-out table describe`;
  return undefined;
}

export interface Moto {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts moto on 127.0.0.1 (a port the OS picks) with the state buckets
 * ("bucket:account:region") and the account's roles (their ARNs) created, its log in `log`. stop() ends it by
 * its pid; it is also ended if this process exits first.
 */
export async function startMoto(buckets: string[], log: string, env = process.env): Promise<Moto> {
  const child: ChildProcess = spawn(python(env), [join(HERE, "moto_server.py"), "0", ...buckets], { stdio: ["pipe", "pipe", "pipe"], env });
  const file = createWriteStream(log);
  child.stderr!.pipe(file);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`moto did not start within 60 s (log: ${log})`)), 60_000);
    let out = "";
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString("utf8");
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited with ${code} before listening (log: ${log})`));
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        file.end();
        resolve();
      });
      child.kill("SIGTERM");
    });
  return { endpoint: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}
