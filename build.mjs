// Bundles each service into one minified ESM file with a source map:
//   src/inventory.ts -> dist/inventory.mjs, src/pricing.ts -> dist/pricing.mjs
// Prints each bundle's size and fails when one passes the 1 MiB budget.
//
//   node build.mjs                  build both
//   node build.mjs inventory        build one
//   node build.mjs --if-stale       skip when dist is newer than every input
//   node build.mjs --metafile       also write dist/<name>.meta.json
//   node build.mjs --sea            also write the single executables dist/bin/<name> (scripts/sea.ts)

import { build } from "esbuild";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const SERVICES = ["inventory", "pricing"];
export const BUNDLE_LIMIT_BYTES = 1024 * 1024;

const root = import.meta.dirname;

function newestInput() {
  let newest = statSync(join(root, "package-lock.json")).mtimeMs;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(root, "src"));
  return Math.max(newest, statSync(join(root, "build.mjs")).mtimeMs);
}

function isStale(name) {
  try {
    return statSync(join(root, "dist", `${name}.mjs`)).mtimeMs < newestInput();
  } catch {
    return true;
  }
}

export async function buildService(name, { metafile = false } = {}) {
  const outfile = join(root, "dist", `${name}.mjs`);
  const result = await build({
    entryPoints: [join(root, "src", `${name}.ts`)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    minify: true,
    sourcemap: true,
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
    // Some CommonJS code inside the SDK calls require() for node builtins.
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
    write: true,
  });
  if (metafile) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(root, "dist", `${name}.meta.json`), JSON.stringify(result.metafile));
  }
  const bytes = statSync(outfile).size;
  return { name, outfile, bytes, metafile: result.metafile };
}

async function main(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const names = argv.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !SERVICES.includes(n));
  if (unknown.length) {
    console.error(`build.mjs: unknown service ${unknown.join(", ")} (allowed: ${SERVICES.join(", ")})`);
    process.exit(2);
  }
  const targets = (names.length ? names : SERVICES).filter((n) => !flags.has("--if-stale") || isStale(n));
  const sea = async () => {
    if (flags.has("--sea")) await (await import("./scripts/sea.ts")).seaCli([...names, ...(flags.has("--if-stale") ? ["--if-stale"] : [])]);
  };
  if (targets.length === 0) {
    console.log("build: bundles are up to date");
    return sea();
  }
  let over = false;
  for (const name of targets) {
    const r = await buildService(name, { metafile: flags.has("--metafile") });
    const kib = (r.bytes / 1024).toFixed(1);
    const ok = r.bytes <= BUNDLE_LIMIT_BYTES;
    over ||= !ok;
    console.log(`build: dist/${name}.mjs ${kib} KiB${ok ? "" : ` exceeds the ${BUNDLE_LIMIT_BYTES / 1024} KiB budget`}`);
  }
  if (over) process.exit(1);
  await sea();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
