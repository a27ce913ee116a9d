// Every Helm release of a chart scheduled on Fargate, read from the HCL (the
// helm provider is not in the local mirror, so these modules never plan
// here): no listener on 10250, the port the Fargate kubelet owns on the
// pod's address, and a wait long enough for Fargate scheduling with a
// rollback when it still fails. A new release must be listed below, so it
// cannot escape the check.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { blocksOf, moduleNames, readModule, type Hcl } from "../helpers/hcl.ts";
import { ROOT } from "../helpers/infra-checks.ts";

/** module/resource name of every helm_release, and whether its pods run on Fargate. */
const RELEASES: Record<string, { fargate: boolean }> = {
  "controllers-release/external_secrets": { fargate: true },
  "controllers-release/cluster_autoscaler": { fargate: true },
  "controllers-release/keda": { fargate: true },
  "lb-controller-release/this": { fargate: true },
};

/** Chart values whose default is 10250 (the chart's own values.yaml): they must be set to another port. */
const KUBELET_PORT_DEFAULTS: Record<string, string[]> = {
  "external-secrets": ["webhook.port"],
};

const FARGATE_KUBELET_PORT = 10250;
const MIN_TIMEOUT_S = 600;

/** The values object a release passes: `[yamlencode(local.x)]` resolved to the module's locals. */
function releaseValues(m: Awaited<ReturnType<typeof readModule>>, release: Hcl): Hcl {
  const expr = String(release.values?.[0] ?? "");
  const name = /^\$\{yamlencode\(local\.([A-Za-z_][\w-]*)\)\}$/.exec(expr)?.[1];
  assert.ok(name, `values must be [yamlencode(local.NAME)] so the values can be read offline, got ${expr.slice(0, 80)}`);
  const found = m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]).find((l) => name in l)?.[name];
  assert.ok(found, `local.${name} is not defined`);
  return found as Hcl;
}

function get(values: Hcl, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Hcl)[k] : undefined), values);
}

function portsEqual(values: unknown, port: number, at = ""): string[] {
  if (values === port || values === String(port)) return [at];
  if (values && typeof values === "object") return Object.entries(values).flatMap(([k, v]) => portsEqual(v, port, at ? `${at}.${k}` : k));
  return [];
}

/** What is wrong with the Fargate releases of a repository tree. */
export async function fargateReleaseProblems(root: string): Promise<string[]> {
  const problems: string[] = [];
  const seen: string[] = [];
  for (const name of moduleNames(root)) {
    const m = await readModule(root, name);
    for (const [res, release] of Object.entries(blocksOf(m, "resource", "helm_release"))) {
      const id = `${name}/${res}`;
      seen.push(id);
      const known = RELEASES[id];
      if (!known) {
        problems.push(`${id}: a helm_release not listed in controllers-fargate.test.ts (say whether it runs on Fargate)`);
        continue;
      }
      if (!known.fargate) continue;
      if (!(Number(release.timeout) >= MIN_TIMEOUT_S)) problems.push(`${id}: timeout ${release.timeout ?? "unset (Helm's 300)"} s, Fargate needs >= ${MIN_TIMEOUT_S}`);
      if (release.atomic !== true) problems.push(`${id}: atomic is not true (a failed install would stay half done)`);
      const values = releaseValues(m, release);
      for (const at of portsEqual(values, FARGATE_KUBELET_PORT)) problems.push(`${id}: ${at} = ${FARGATE_KUBELET_PORT}, the Fargate kubelet's port`);
      for (const path of KUBELET_PORT_DEFAULTS[String(release.chart)] ?? []) {
        const port = get(values, path);
        if (port === undefined) problems.push(`${id}: ${path} is unset, and chart ${release.chart} defaults it to ${FARGATE_KUBELET_PORT}`);
      }
    }
  }
  for (const id of Object.keys(RELEASES)) if (!seen.includes(id)) problems.push(`${id}: listed but no such helm_release`);
  return problems;
}

test("every Fargate-scheduled Helm release listens off 10250 and waits 600 s with rollback", async () => {
  assert.deepEqual(await fargateReleaseProblems(ROOT), []);
});

test("a broken copy fails: External Secrets' webhook left on the chart's default port, Helm's default wait", async () => {
  const root = mkdtempSync(join(tmpdir(), "fargate-rel-"));
  try {
    cpSync(join(ROOT, "modules"), join(root, "modules"), { recursive: true });
    const file = join(root, "modules", "controllers-release", "main.tf");
    const text = readFileSync(file, "utf8");
    const broken = text.replace(/^\s*webhook\s*=\s*\{ port = 9443 \}\n/m, "").replace(/^(\s*)timeout(\s*)= 600\n/m, "");
    assert.notEqual(broken, text);
    writeFileSync(file, broken);
    const problems = await fargateReleaseProblems(root);
    assert.ok(problems.some((p) => p.includes("webhook.port is unset")), problems.join("\n"));
    assert.ok(problems.some((p) => p.includes("timeout unset")), problems.join("\n"));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a broken copy fails: a metrics port set to 10250", async () => {
  const root = mkdtempSync(join(tmpdir(), "fargate-rel-"));
  try {
    cpSync(join(ROOT, "modules"), join(root, "modules"), { recursive: true });
    const file = join(root, "modules", "lb-controller-release", "main.tf");
    writeFileSync(file, readFileSync(file, "utf8").replace("defaultTargetType            = \"ip\"", "defaultTargetType            = \"ip\"\n    metricsBindAddr              = 10250"));
    assert.ok((await fargateReleaseProblems(root)).some((p) => p.includes("metricsBindAddr = 10250")));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
