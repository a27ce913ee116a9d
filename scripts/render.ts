// The one render entry: turns the templates into the YAML a cluster applies.
//
//   npm run render -- --env dev                    manifests/ -> <out>/manifests.yaml (placeholders for the rest)
//   npm run render -- --env prod --keda --pricing-capacity fargate
//   npm run render -- --env dev --dry-run          list the files, write nothing
//   npm run render -- telemetry --env prod \       telemetry/ -> <out>/observability.yaml
//     --collector-role-arn "$(terragrunt output -raw collector_role_arn)" \
//     --fluent-bit-role-arn "$(terragrunt output -raw fluent_bit_role_arn)"
//
// manifests.yaml is what the CodePipeline EKS deploy action applies; in
// CodeBuild every value also comes from the project's variables (FLAGS in
// scripts/render/options.ts). observability.yaml spans namespaces, so an
// operator applies it (kubectl apply -f). `npm run render:telemetry -- ...`
// is the same as `npm run render -- telemetry ...`. Exit 2 on a bad flag, naming it.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { renderManifests, toYaml, type K8sObject } from "./render/manifests.ts";
import { OUTPUT_FILE, resolveOptions, UsageError, USAGE, wantsHelp } from "./render/options.ts";
import { renderTelemetry, resolveTelemetryOptions, TELEMETRY_FILE, TELEMETRY_USAGE } from "./render/telemetry.ts";

export { ENVIRONMENTS, KIND_ORDER, renderManifests, toYaml, type K8sObject } from "./render/manifests.ts";
export { FLAGS, placeholders, resolveOptions, UsageError, type RenderOptions } from "./render/options.ts";

interface Rendered {
  objects: K8sObject[];
  file: string;
  out: string;
  header: string[];
  dryRun?: boolean;
}

function manifests(argv: readonly string[], env: NodeJS.ProcessEnv): Rendered {
  const o = resolveOptions(argv, env);
  const header = [
    "Rendered by scripts/render.ts from manifests/ - do not edit; change the templates.",
    `env=${o.env} region=${o.region} pricing-capacity=${o.pricingCapacity} keda=${o.keda} ingress=${o.ingress?.scheme ?? "none"}`,
    `images: ${o.inventoryImage} ${o.pricingImage}`,
  ];
  return { objects: renderManifests(o), file: OUTPUT_FILE, out: o.out, header, dryRun: o.dryRun };
}

function telemetry(argv: readonly string[], env: NodeJS.ProcessEnv): Rendered {
  const o = resolveTelemetryOptions(argv, env);
  const header = [
    "Rendered by scripts/render.ts telemetry from telemetry/ - do not edit; change the templates.",
    `env=${o.env} cluster=${o.cluster} region=${o.region} pricing-capacity=${o.pricingCapacity}`,
    "Apply with kubectl apply -f (not through the pipeline: it spans namespaces).",
  ];
  return { objects: renderTelemetry(o), file: TELEMETRY_FILE, out: o.out, header };
}

/** Each target's name in messages, its usage text and its renderer. */
const TARGETS = {
  manifests: { name: "render", usage: USAGE, render: manifests },
  telemetry: { name: "render:telemetry", usage: TELEMETRY_USAGE, render: telemetry },
};

/** `render [manifests|telemetry] [flags]`: manifests when no target is named. */
export function main(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const named = argv[0] === "manifests" || argv[0] === "telemetry";
  const t = TARGETS[argv[0] === "telemetry" ? "telemetry" : "manifests"];
  const args = named ? argv.slice(1) : argv;
  if (wantsHelp(args)) {
    console.log(t.usage);
    return 0;
  }
  let r: Rendered;
  try {
    r = t.render(args, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${t.name}: ${err.message}\nRun with --help for every flag.`);
    return 2;
  }
  const path = relative(process.cwd(), join(r.out, r.file)) || r.file;
  if (r.dryRun) {
    console.log(path);
    console.error(`${t.name}: dry run, ${r.objects.length} objects: ${r.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
    return 0;
  }
  mkdirSync(r.out, { recursive: true });
  writeFileSync(join(r.out, r.file), toYaml(r.objects, r.header.join("\n")));
  console.log(`${t.name}: wrote ${path} (${r.objects.length} objects)`);
  return 0;
}

if (import.meta.filename === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`${process.argv[2] === "telemetry" ? "render:telemetry" : "render"}: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
