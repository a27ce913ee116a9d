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
import { OUTPUT_FILE, resolveOptions, UsageError, USAGE, wantsHelp, type CliOptions } from "./render/options.ts";
import { renderTelemetry, resolveTelemetryOptions, TELEMETRY_FILE, TELEMETRY_USAGE } from "./render/telemetry.ts";

export { ENVIRONMENTS, KIND_ORDER, renderManifests, toYaml, type K8sObject } from "./render/manifests.ts";
export { FLAGS, placeholders, resolveOptions, UsageError, type RenderOptions } from "./render/options.ts";

/** What each render target reads, checks, renders and says in its header and messages. */
const TARGETS = {
  manifests: {
    name: "render",
    usage: USAGE,
    resolve: (argv: readonly string[], env: NodeJS.ProcessEnv) => resolveOptions(argv, env),
    render: (o: CliOptions) => ({ objects: renderManifests(o), file: OUTPUT_FILE }),
    header: (o: CliOptions) => [
      "Rendered by scripts/render.ts from manifests/ - do not edit; change the templates.",
      `env=${o.env} region=${o.region} pricing-capacity=${o.pricingCapacity} keda=${o.keda} ingress=${o.ingress?.scheme ?? "none"}`,
      `images: ${o.inventoryImage} ${o.pricingImage}`,
    ],
  },
  telemetry: {
    name: "render:telemetry",
    usage: TELEMETRY_USAGE,
    resolve: (argv: readonly string[], env: NodeJS.ProcessEnv) => ({ ...resolveTelemetryOptions(argv, env), dryRun: false }),
    render: (o: ReturnType<typeof resolveTelemetryOptions>) => ({ objects: renderTelemetry(o), file: TELEMETRY_FILE }),
    header: (o: ReturnType<typeof resolveTelemetryOptions>) => [
      "Rendered by scripts/render.ts (telemetry) from telemetry/ - do not edit; change the templates.",
      `env=${o.env} cluster=${o.cluster} region=${o.region} pricing-capacity=${o.pricingCapacity}`,
      "Apply with kubectl apply -f (not through the pipeline: it spans namespaces).",
    ],
  },
} as const;

/** The files a manifests run writes, relative to the working directory. */
export function outputFiles(options: Pick<CliOptions, "out">, cwd = process.cwd()): string[] {
  return [relative(cwd, join(options.out, OUTPUT_FILE)) || OUTPUT_FILE];
}

interface Target<O> {
  name: string;
  usage: string;
  resolve(argv: readonly string[], env: NodeJS.ProcessEnv): O & { out: string; dryRun: boolean };
  render(o: O): { objects: K8sObject[]; file: string };
  header(o: O): string[];
}

function run<O>(t: Target<O>, argv: readonly string[], env: NodeJS.ProcessEnv): number {
  if (wantsHelp(argv)) {
    console.log(t.usage);
    return 0;
  }
  let options: O & { out: string; dryRun: boolean };
  try {
    options = t.resolve(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${t.name}: ${err.message}\nRun with --help for every flag.`);
    return 2;
  }
  const { objects, file } = t.render(options);
  const path = relative(process.cwd(), join(options.out, file)) || file;
  if (options.dryRun) {
    console.log(path);
    console.error(`${t.name}: dry run, ${objects.length} objects: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
    return 0;
  }
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, file), toYaml(objects, t.header(options).join("\n")));
  console.log(`${t.name}: wrote ${path} (${objects.length} objects)`);
  return 0;
}

/** `render [manifests|telemetry] [flags]`: manifests when no target is named. */
export function main(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  if (argv[0] === "telemetry") return run<ReturnType<typeof resolveTelemetryOptions>>(TARGETS.telemetry, argv.slice(1), env);
  return run<CliOptions>(TARGETS.manifests, argv[0] === "manifests" ? argv.slice(1) : argv, env);
}

if (import.meta.filename === process.argv[1]) {
  const name = process.argv[2] === "telemetry" ? TARGETS.telemetry.name : TARGETS.manifests.name;
  try {
    process.exitCode = main(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
