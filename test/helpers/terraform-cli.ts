// Running the terraform CLI for the plan harness (terraform.ts): one process
// with a timeout and a lower CPU priority, a bounded pool, and the JSON lines
// of `terraform test -json -verbose`.

import { spawn, spawnSync } from "node:child_process";
import type { PlanJson } from "./plan.ts";

/** Generated test files of Terragrunt units: tests/_live_<env>_<unit>.tftest.hcl. */
export const UNIT_PREFIX = "_live_";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

// A guard against a hung process, not a speed limit: on a runner whose cores
// other jobs keep busy, a plan of every unit takes several times as long as
// on a quiet one, and must still pass.
const TIMEOUT_MS = 20 * 60_000;

// Terraform runs at a somewhat lower CPU priority: the plans share npm test
// with timing-sensitive tests (graceful stop, redelivery), which must come
// first. Not the lowest (19): next to other busy processes at priority 0 it
// would get about 1 % of a core and take hours.
const NICE_LEVEL = "5";
const NICE = spawnSync("nice", ["-n", NICE_LEVEL, "true"]).status === 0;

export function run(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = TIMEOUT_MS): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = NICE ? ["nice", ["-n", NICE_LEVEL, "terraform", ...args]] : ["terraform", args];
    const child = spawn(cmd, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** Runs fn over items with at most `limit` at a time. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface JsonLine {
  type: string;
  "@level"?: string;
  "@message"?: string;
  "@testfile"?: string;
  "@testrun"?: string;
  test_file?: { path: string; status: string };
  test_plan?: PlanJson;
  diagnostic?: { severity: string; summary: string; detail?: string };
}

/**
 * One line of terraform test -json output. A plan line carries the provider
 * schemas too (some 14 MB): plans of a module's own tests are not read, and
 * a unit's plan is parsed without its schemas when the line has the usual
 * key order (the whole line otherwise).
 */
function parseLine(line: string): JsonLine | undefined {
  if (line.length > 65536 && line.endsWith('"type":"test_plan"}')) {
    if (!line.slice(0, 1000).includes(`"@testfile":"tests/${UNIT_PREFIX}`)) return undefined;
    const cut = line.indexOf(',"provider_schemas":');
    if (cut > 0) {
      try {
        return JSON.parse(`${line.slice(0, cut)}},"type":"test_plan"}`) as JsonLine;
      } catch {
        // another key order: parse it whole
      }
    }
  }
  return JSON.parse(line) as JsonLine;
}

export function parseLines(stdout: string): JsonLine[] {
  return stdout.split("\n").filter((l) => l.startsWith("{")).map(parseLine).filter((l): l is JsonLine => l !== undefined);
}

export function problems(lines: JsonLine[], file?: string): string {
  return lines
    .filter((l) => l.type === "diagnostic" && (file === undefined || l["@testfile"] === file))
    .map((l) => `${l.diagnostic!.severity}: ${l.diagnostic!.summary}${l.diagnostic!.detail ? ` - ${l.diagnostic!.detail}` : ""}`)
    .join("\n");
}
