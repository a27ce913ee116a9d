// Single executables: dist/bin/inventory and dist/bin/pricing, each one file
// that runs on a host with no Node and no node_modules (Node's Single
// Executable Applications, from the pinned Node 24).
//
//   npm run build:sea                 (or: npm run build -- --sea)
//   node scripts/sea.ts [inventory|pricing] [--if-stale]
//
// The route, as Node 24.21 supports it, all offline:
// 1. esbuild bundles the service into one CommonJS file. The SEA main script
//    must be CommonJS, and the service entries use top-level await, which
//    CommonJS has not: the entry (src/<name>.ts) is read, its imports kept and
//    the rest wrapped in an async function, so the executable runs the very
//    same story as the ESM bundle.
// 2. `node --experimental-sea-config` writes the preparation blob, with V8's
//    code cache (useCodeCache: the executable skips compiling the bundle).
// 3. A copy of this Node binary (the pinned 24.21, linux-x64 here) gets its
//    debug symbols stripped when `strip` is on the PATH (about 18 MB less),
//    and postject injects the blob and flips the SEA fuse.

import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
export const SEA_SERVICES = ["inventory", "pricing"] as const;
export const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const WORK = join(ROOT, "dist", "sea");
export const seaPath = (name: string) => join(ROOT, "dist", "bin", name);

/** The entry as a CommonJS-compatible module: imports first, the top-level awaits inside main(). */
export function cjsEntry(source: string, name: string): string {
  const imports: string[] = [];
  const body = source.replace(/^import\s[\s\S]*?;\s*$/gm, (m) => (imports.push(m), ""));
  return [
    ...imports,
    "async function main() {",
    body.trim(),
    "}",
    `main().catch((err) => { process.stderr.write(\`${name}: \${err?.stack ?? err}\\n\`); process.exit(1); });`,
    "",
  ].join("\n");
}

function newestInput(): number {
  let newest = Math.max(...["package-lock.json", "build.mjs", "scripts/sea.ts"].map((f) => statSync(join(ROOT, f)).mtimeMs));
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(ROOT, "src"));
  return newest;
}

export function isSeaStale(name: string): boolean {
  try {
    return statSync(seaPath(name)).mtimeMs < newestInput();
  } catch {
    return true;
  }
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr?.trim() ?? ""}`);
}

export async function buildSea(name: string): Promise<{ path: string; bytes: number; stripped: boolean }> {
  if (Number(process.versions.node.split(".")[0]) < 24) throw new Error(`single executables need the pinned Node 24 (this is ${process.version}): run through npm`);
  if (process.platform !== "linux") throw new Error(`single executables are built for linux here, not ${process.platform}`);
  mkdirSync(WORK, { recursive: true });
  mkdirSync(join(ROOT, "dist", "bin"), { recursive: true });
  const main = join(WORK, `${name}.cjs`);
  await build({
    stdin: { contents: cjsEntry(readFileSync(join(ROOT, "src", `${name}.ts`), "utf8"), name), resolveDir: join(ROOT, "src"), sourcefile: `${name}-sea.ts`, loader: "ts" },
    outfile: main,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node24",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
  });
  const config = join(WORK, `${name}.sea.json`);
  const blob = join(WORK, `${name}.blob`);
  writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }, null, 2));
  run(process.execPath, ["--experimental-sea-config", config]);

  const out = seaPath(name);
  const tmp = `${out}.tmp`;
  rmSync(tmp, { force: true });
  copyFileSync(process.execPath, tmp);
  chmodSync(tmp, 0o755);
  const stripped = spawnSync("strip", [tmp]).status === 0;
  // postject's CLI in a child: its ELF writer prints harmless section warnings on stderr.
  const postject = join(dirname(createRequire(import.meta.url).resolve("postject")), "cli.js");
  run(process.execPath, [postject, tmp, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE]);
  copyFileSync(tmp, out);
  rmSync(tmp);
  chmodSync(out, 0o755);
  return { path: out, bytes: statSync(out).size, stripped };
}

export async function seaCli(argv: string[]): Promise<void> {
  const names = argv.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !(SEA_SERVICES as readonly string[]).includes(n));
  if (unknown.length) {
    process.stderr.write(`sea: unknown service ${unknown.join(", ")} (allowed: ${SEA_SERVICES.join(", ")})\n`);
    process.exit(2);
  }
  const ifStale = argv.includes("--if-stale");
  for (const name of names.length ? names : SEA_SERVICES) {
    if (ifStale && !isSeaStale(name)) {
      process.stdout.write(`sea: dist/bin/${name} is up to date\n`);
      continue;
    }
    const started = Date.now();
    const r = await buildSea(name);
    process.stdout.write(`sea: dist/bin/${name} ${(r.bytes / 1024 / 1024).toFixed(1)} MiB${r.stripped ? " (stripped)" : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await seaCli(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`sea: ${err.message}\n`);
    process.exit(1);
  });
}
