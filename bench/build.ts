// Bundles the bench's service entry (bench/variants/service.ts, both SQS
// request handlers inside) the way build.mjs bundles the services, and
// measures what undici adds to a bundle. Output under bench/.build/.

import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
export const VARIANT_BUNDLE = join(ROOT, "bench", ".build", "service.mjs");

/** Builds the variant bundle; returns the bytes of it that come from undici. */
export async function buildVariants(): Promise<{ undiciBytes: number; bundleBytes: number }> {
  mkdirSync(join(ROOT, "bench", ".build"), { recursive: true });
  const result = await build({
    entryPoints: [join(ROOT, "bench", "variants", "service.ts")],
    outfile: VARIANT_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    minify: true,
    metafile: true,
    logLevel: "warning",
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
  });
  const out = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const inputs = Object.entries(out?.inputs ?? {});
  const undiciBytes = inputs.filter(([path]) => path.includes("node_modules/undici/")).reduce((n, [, i]) => n + i.bytesInOutput, 0);
  return { undiciBytes, bundleBytes: out?.bytes ?? 0 };
}
