// Runs a module's `terraform test` (tests/*.tftest.hcl, command = plan,
// real aws provider from a local mirror, fake credentials) in a temp copy,
// so no .terraform directory or lock file is ever left in the tree.

import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PLUGIN_MIRROR = process.env.TF_PLUGIN_MIRROR ?? "/opt/tf-plugins";

/** Why the plans cannot run here, or undefined when they can. */
export function tftestUnavailable(terraformAvailable: boolean): string | undefined {
  if (!terraformAvailable) return "terraform is not installed here";
  if (!existsSync(join(PLUGIN_MIRROR, "registry.terraform.io", "hashicorp", "aws"))) return `no hashicorp/aws provider in the plugin mirror ${PLUGIN_MIRROR} (set TF_PLUGIN_MIRROR)`;
  return undefined;
}

/** Modules with tests/*.tftest.hcl. */
export function modulesWithTests(root: string): string[] {
  const dir = join(root, "modules");
  return readdirSync(dir)
    .filter((m) => existsSync(join(dir, m, "tests")) && readdirSync(join(dir, m, "tests")).some((f) => f.endsWith(".tftest.hcl")))
    .sort();
}

function run(args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    const p = spawn("terraform", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (c) => (out += c));
    p.stderr.on("data", (c) => (out += c));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Copies modules/<name> (optionally broken by `edit`), inits against the mirror and runs `terraform test`. */
export async function terraformTest(root: string, name: string, edit?: (dir: string) => void): Promise<{ ok: boolean; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), `tftest-${name}-`));
  try {
    cpSync(join(root, "modules", name), dir, { recursive: true, filter: (src) => !/[\\/]\.terraform(\.lock\.hcl)?$/.test(src) });
    edit?.(dir);
    const init = await run(["init", "-backend=false", `-plugin-dir=${PLUGIN_MIRROR}`, "-input=false", "-no-color"], dir, 120_000);
    if (init.code !== 0) return { ok: false, out: `init failed:\n${init.out}` };
    const test = await run(["test", "-no-color"], dir, 300_000);
    return { ok: test.code === 0 && /Success! \d+ passed, 0 failed/.test(test.out), out: test.out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
