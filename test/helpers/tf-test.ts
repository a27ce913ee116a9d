// Runs `terraform test` (plans only) on a temporary copy of a module against
// the local provider mirror, so nothing is written into the tree and nothing
// is downloaded. Callers skip when mirrorMissing() names a reason.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformAvailable } from "./infra-checks.ts";

export const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? "/opt/tf-plugins";

/** Why a plan cannot run here for a module needing `providers`, or undefined when it can. */
export function mirrorMissing(providers: readonly string[] = ["aws"]): string | undefined {
  if (!terraformAvailable()) return "terraform is not installed here";
  for (const p of providers) {
    if (!existsSync(join(PLUGIN_DIR, "registry.terraform.io", "hashicorp", p))) return `hashicorp/${p} is not in the provider mirror ${PLUGIN_DIR}`;
  }
  return undefined;
}

/**
 * Copies `moduleDir`, lets `edit` break the copy, then runs init + test (only
 * the test file `filter`, e.g. "tests/trust.tftest.hcl", when given).
 */
export function terraformTest(moduleDir: string, edit: (copy: string) => void = () => {}, filter?: string): { code: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "tftest-"));
  try {
    cpSync(moduleDir, dir, { recursive: true, filter: (src) => !src.includes(".terraform") });
    edit(dir);
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    const run = (args: string[]) => spawnSync("terraform", args, { cwd: dir, env, encoding: "utf8", timeout: 180_000 });
    const init = run(["init", "-backend=false", `-plugin-dir=${PLUGIN_DIR}`, "-no-color"]);
    if (init.status !== 0) return { code: init.status, output: init.stdout + init.stderr };
    const test = run(["test", "-no-color", ...(filter ? [`-filter=${filter}`] : [])]);
    return { code: test.status, output: test.stdout + test.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
