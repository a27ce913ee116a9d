// Renders the Kubernetes manifests for one environment into a single file,
// <out>/manifests.yaml, which the CodePipeline EKS deploy action applies.
//
//   npm run render -- --env dev                    placeholders for the rest
//   npm run render -- --env prod --keda --pricing-capacity fargate
//   npm run render -- --env dev --dry-run          list the files, write nothing
//
// In CodeBuild every value also comes from the project's variables (see FLAGS
// in scripts/render/options.ts). Exit 2 on a bad flag, naming it.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { renderManifests, toYaml } from "./render/manifests.ts";
import { OUTPUT_FILE, resolveOptions, UsageError, USAGE, wantsHelp, type CliOptions } from "./render/options.ts";

export { ENVIRONMENTS, KIND_ORDER, renderManifests, toYaml, type K8sObject } from "./render/manifests.ts";
export { FLAGS, placeholders, resolveOptions, UsageError, type RenderOptions } from "./render/options.ts";

/** The files a run writes, relative to the working directory. */
export function outputFiles(options: Pick<CliOptions, "out">, cwd = process.cwd()): string[] {
  return [relative(cwd, join(options.out, OUTPUT_FILE)) || OUTPUT_FILE];
}

function header(o: CliOptions): string {
  return [
    "Rendered by scripts/render.ts from manifests/ - do not edit; change the templates.",
    `env=${o.env} region=${o.region} pricing-capacity=${o.pricingCapacity} keda=${o.keda} ingress=${o.ingress?.scheme ?? "none"}`,
    `images: ${o.inventoryImage} ${o.pricingImage}`,
  ].join("\n");
}

export function main(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return 0;
  }
  let options: CliOptions;
  try {
    options = resolveOptions(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`render: ${err.message}\nRun with --help for every flag.`);
    return 2;
  }
  const objects = renderManifests(options);
  const files = outputFiles(options);
  if (options.dryRun) {
    for (const f of files) console.log(f);
    console.error(`render: dry run, ${objects.length} objects: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
    return 0;
  }
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, OUTPUT_FILE), toYaml(objects, header(options)));
  console.log(`render: wrote ${files[0]} (${objects.length} objects, env ${options.env})`);
  return 0;
}

if (import.meta.filename === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`render: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
