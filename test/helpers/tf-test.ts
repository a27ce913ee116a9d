// Runs `terraform test` (plans only) on a temporary copy of a module against
// the local provider mirror, so nothing is written into the tree and nothing
// is downloaded. Callers skip when mirrorMissing() names a reason.

import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformAvailable } from "./infra-checks.ts";

export const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins";
const TIMEOUT_MS = 180_000;

/** Why a plan cannot run here for a module needing `providers`, or undefined when it can. */
export function mirrorMissing(providers: readonly string[] = ["aws"]): string | undefined {
  if (!terraformAvailable()) return "terraform is not installed here";
  for (const p of providers) {
    if (!existsSync(join(PLUGIN_DIR, "registry.terraform.io", "hashicorp", p))) return `hashicorp/${p} is not in the provider mirror ${PLUGIN_DIR}`;
  }
  return undefined;
}

interface Result {
  code: number | null;
  output: string;
}

function run(args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Copies `moduleDir`, lets `edit` break the copy, then runs init + test (only
 * the test file `filter`, e.g. "tests/trust.tftest.hcl", when given). Several
 * may run at once: each has its own copy.
 */
export async function terraformTest(moduleDir: string, edit: (copy: string) => void = () => {}, filter?: string): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), "tftest-"));
  try {
    cpSync(moduleDir, dir, { recursive: true, filter: (src) => !src.includes(".terraform") });
    edit(dir);
    const init = await run(["init", "-backend=false", `-plugin-dir=${PLUGIN_DIR}`, "-no-color"], dir);
    if (init.code !== 0) return init;
    return await run(["test", "-no-color", ...(filter ? [`-filter=${filter}`] : [])], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
