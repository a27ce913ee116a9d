// The SQS API calls a service's code makes, derived from the code itself:
// esbuild resolves everything reachable from the entry file, and each source
// file is scanned for `new XxxCommand(` of @aws-sdk/client-sqs.

import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Batch calls are authorized by their single-message IAM action. */
export function iamActionFor(command: string): string {
  const base = command.replace(/Batch$/, "");
  return `sqs:${base}`;
}

export async function sqsCommandsUsedBy(root: string, entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    external: ["@aws-sdk/*", "yaml"],
  });
  const commands = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    if (!input.startsWith("src/")) continue;
    const text = readFileSync(join(root, input), "utf8");
    const imported = /import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-sqs"/.exec(text)?.[1] ?? "";
    for (const m of text.matchAll(/new (\w+)Command\(/g)) {
      if (imported.includes(`${m[1]}Command`)) commands.add(m[1]);
    }
  }
  return commands;
}

export async function sqsActionsUsedBy(root: string, entry: string): Promise<Set<string>> {
  return new Set([...(await sqsCommandsUsedBy(root, entry))].map(iamActionFor));
}
