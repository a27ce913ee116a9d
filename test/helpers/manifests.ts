// Shared by the delivery checks: every rendered variant of the manifests, and
// small accessors for the objects in them.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { renderManifests, resolveOptions, UsageError, type K8sObject, type RenderOptions } from "../../scripts/render.ts";
import { DEPLOY_ENVS, PRICING_CAPACITIES, placeholders, PLACEHOLDER_ACCOUNT, PLACEHOLDER_REGION, ROOT } from "../../scripts/render/options.ts";
import type { IngressOptions, IngressScheme } from "../../scripts/render/ingress.ts";

export { ROOT };

/** The real example policy once it exists; a small stand-in until then. */
export const POLICY_FILE = join(ROOT, "examples", "policy.yaml");
export const SAMPLE_POLICY = existsSync(POLICY_FILE)
  ? readFileSync(POLICY_FILE, "utf8")
  : "# stand-in policy for the delivery checks\ncurrency: EUR\nrules: []\n";

export interface Variant {
  name: string;
  options: RenderOptions;
  objects: K8sObject[];
}

export function baseOptions(overrides: Partial<RenderOptions> = {}): RenderOptions {
  const env = overrides.env ?? "dev";
  const region = overrides.region ?? PLACEHOLDER_REGION;
  return { env, region, ...placeholders(env, region), pricingCapacity: "spot", keda: false, policy: SAMPLE_POLICY, ...overrides };
}

/** Ingress options shaped like the real ones (certificate in `region`). */
export function sampleIngress(scheme: IngressScheme = "internet-facing", region = PLACEHOLDER_REGION, extra: Partial<IngressOptions> = {}): IngressOptions {
  return { scheme, certificateArn: `arn:aws:acm:${region}:${PLACEHOLDER_ACCOUNT}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`, ...extra };
}

/**
 * Both environments x both pricing capacities x with and without KEDA; the
 * KEDA variants with an internal ALB, the others internet-facing.
 */
export function variants(): Variant[] {
  return DEPLOY_ENVS.flatMap((env) =>
    PRICING_CAPACITIES.flatMap((pricingCapacity) =>
      [false, true].map((keda) => {
        const options = baseOptions({ env, pricingCapacity, keda, ingress: sampleIngress(keda ? "internal" : "internet-facing") });
        return { name: `${env}/${pricingCapacity}${keda ? "/keda" : ""}`, options, objects: renderManifests(options) };
      }),
    ),
  );
}

export type Obj = Record<string, any>;

export function find(objects: readonly K8sObject[], kind: string, name: string): Obj {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
  return o as Obj;
}

export function deployments(objects: readonly K8sObject[]): Obj[] {
  return objects.filter((o) => o.kind === "Deployment") as Obj[];
}

/** A deep copy to break on purpose. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The UsageError resolveOptions gives for these arguments; fails the test when there is none. */
export function usageError(argv: string[], env: Record<string, string>, cwd: string): UsageError {
  try {
    resolveOptions(argv, env, cwd);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  assert.fail(`no error for ${argv.join(" ")}`);
}
