// The values the repository ships as examples, found in an environment's
// files with file and line: example accounts, example.com addresses, the
// example repository, documentation IP ranges, an empty certificate, and
// lines marked "# example" (prod's example SKUs). Each must be replaced
// before the first apply.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface Finding {
  /** path:line, relative to the repository root. */
  where: string;
  what: string;
}

/** Account IDs the repository uses as examples: twelve equal digits, and the documentation account 123456789012. */
export function isExampleAccount(id: string): boolean {
  return /^(\d)\1{11}$/.test(id) || id === "123456789012";
}

const RULES: Array<{ test: (line: string) => string | undefined }> = [
  {
    test: (l) => {
      const ids = [...l.matchAll(/(?<![\d])(\d{12})(?![\d])/g)].map((m) => m[1]).filter(isExampleAccount);
      return ids.length > 0 ? `example AWS account ${[...new Set(ids)].join(", ")}: your account id (account.hcl) or the ARN of your role` : undefined;
    },
  },
  { test: (l) => (/@example\.(com|org|net)\b/.test(l) ? "example e-mail address: the real subscription endpoint" : undefined) },
  { test: (l) => (/"example\/[\w.-]+"/.test(l) ? "example GitHub repository: owner/name of yours" : undefined) },
  {
    test: (l) => {
      const m = /\b(192\.0\.2\.\d+\/\d+|198\.51\.100\.\d+\/\d+|203\.0\.113\.\d+\/\d+)/.exec(l);
      return m ? `documentation address range ${m[1]}: the CIDRs that may reach the API (office, VPN egress)` : undefined;
    },
  },
  { test: (l) => (/\bcertificate_arn\s*=\s*""/.test(l) ? "empty certificate_arn: an ACM certificate ARN in this account and region (the deploy's render step needs it)" : undefined) },
  { test: (l) => (/#\s*example\b/i.test(l.replace(/^\s*#.*/, "")) ? "example value marked # example: replace it" : undefined) },
];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (e.startsWith(".")) continue;
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(hcl|ya?ml)$/.test(e)) out.push(p);
  }
  return out;
}

/** Every placeholder in live/<env>/ (the environment's own files; root.hcl and _envcommon hold only mock outputs). */
export function findPlaceholders(root: string, env: string): Finding[] {
  const out: Finding[] = [];
  for (const file of files(join(root, "live", env))) {
    const lines = readFileSync(file, "utf8").split("\n");
    for (const [i, line] of lines.entries()) {
      if (/^\s*#/.test(line) || /mock/.test(line)) continue;
      for (const r of RULES) {
        const what = r.test(line);
        if (what) out.push({ where: `${relative(root, file)}:${i + 1}`, what });
      }
    }
  }
  return out;
}

/** The first string value of `key = "..."` in an HCL file, with its line. */
export function hclString(text: string, key: string): { value: string; line: number } | undefined {
  const lines = text.split("\n");
  for (const [i, l] of lines.entries()) {
    const m = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`).exec(l);
    if (m) return { value: m[1], line: i + 1 };
  }
  return undefined;
}

/** Role ARNs of `key = [ ... ]` in an HCL file, each with its line. */
export function hclRoleArns(text: string, key: string): Array<{ arn: string; line: number }> {
  const out: Array<{ arn: string; line: number }> = [];
  const lines = text.split("\n");
  const start = lines.findIndex((l) => new RegExp(`^\\s*${key}\\s*=`).test(l));
  if (start < 0) return out;
  for (let i = start; i < lines.length; i++) {
    for (const m of lines[i].matchAll(/arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+/g)) out.push({ arn: m[0], line: i + 1 });
    if (lines[i].includes("]")) break;
  }
  return out;
}
