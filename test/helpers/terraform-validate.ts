// `terraform validate` of every module in one process: a generated root
// calls each module once, every required variable passed from an
// undeclared-value root variable (unknown while validating), so one
// provider schema load validates them all. Each diagnostic is reported for
// the module its file belongs to.

import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readModule } from "./hcl.ts";
import { run } from "./terraform-cli.ts";
import type { Outcome } from "./terraform.ts";

interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  range?: { filename: string; start?: { line: number } };
}

/** Validates the named modules of root/modules; one Outcome per module. */
export async function validateModules(root: string, names: string[], work: string, env: NodeJS.ProcessEnv, initArgs: string[]): Promise<Map<string, Outcome>> {
  const dir = join(work, "_validate");
  mkdirSync(dir);
  const blocks: string[] = [];
  for (const name of names) {
    cpSync(join(root, "modules", name), join(dir, name), { recursive: true, filter: (p) => !p.includes(".terraform") && !p.includes("/tests") });
    const m = await readModule(root, name);
    const required = Object.entries(m.variables).filter(([, v]) => !v.hasDefault).map(([v]) => v);
    blocks.push(...required.map((v) => `variable "${name}__${v}" {}\n`));
    blocks.push(`module "${name}" {\n  source = "./${name}"\n${required.map((v) => `  ${v} = var.${name}__${v}\n`).join("")}}\n`);
  }
  writeFileSync(join(dir, "main.tf"), blocks.join("\n"));
  const out = new Map<string, Outcome>();
  const init = await run(["init", "-backend=false", "-input=false", "-no-color", ...initArgs], dir, env);
  if (init.code !== 0) {
    for (const n of names) out.set(n, { status: "fail", detail: `terraform init failed:\n${init.stderr}${init.stdout}` });
    return out;
  }
  const v = await run(["validate", "-json", "-no-color"], dir, env);
  const parsed = JSON.parse(v.stdout || "{}") as { valid?: boolean; diagnostics?: Diagnostic[] };
  const byModule = new Map<string, string[]>();
  for (const d of parsed.diagnostics ?? []) {
    const file = d.range?.filename ?? "";
    const owner = names.find((n) => file.startsWith(`${n}/`));
    const text = `${d.severity}: ${d.summary}${d.detail ? ` - ${d.detail}` : ""} (${file}${d.range?.start ? `:${d.range.start.line}` : ""})`;
    for (const n of owner ? [owner] : names) byModule.set(n, [...(byModule.get(n) ?? []), text]);
  }
  for (const n of names) {
    const problems = byModule.get(n);
    if (problems) out.set(n, { status: "fail", detail: problems.join("\n") });
    else if (byModule.size === 0 && (v.code !== 0 || parsed.valid === false)) out.set(n, { status: "fail", detail: `terraform validate failed:\n${v.stderr}` });
    else out.set(n, { status: "pass" });
  }
  return out;
}
