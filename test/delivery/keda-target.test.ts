// Pricing scales on backlog in both environments: the pipeline renders the
// ScaledObject (PRICING_SCALING = keda), the Deployment then carries no
// replica count a deploy would reset, and the target backlog per pod is
// recomputed here from the bench's measured pricing throughput.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadPricingConfig } from "../../src/pricing/config.ts";
import { renderManifests } from "../../scripts/render.ts";
import { readUnits } from "../helpers/hcl.ts";
import { quantity } from "../helpers/manifest-checks.ts";
import { baseOptions, find, ROOT } from "../helpers/manifests.ts";

/** The queueing delay one pod's share of the backlog may hold, in seconds (the design choice the target follows). */
const DELAY_S = 1;

/** How far the manifest's target may sit from the figure the last bench gives. */
const TOLERANCE = 0.15;

/** The bench's pricing figures: updates preloaded, messages they packed into, CPU per update. */
function benchPricing(): { updates: number; messages: number; cpuUs: number } {
  const text = readFileSync(join(ROOT, "bench", "results", "latest.md"), "utf8");
  // The heading names the updates preloaded, and a larger count for the packed variants where the bench uses one.
  const heading = /## Pricing \(([\d,]+) updates preloaded[^,)]*(?:, ([\d,]+) for the packed variants)?/.exec(text);
  const updates = Number((heading?.[2] ?? heading?.[1])?.replaceAll(",", ""));
  const row = text.split("\n").find((l) => l.startsWith("| packed (SDK's node:http handler) |") && text.indexOf(l) > text.indexOf("## Pricing"));
  assert.ok(row && updates > 0, "bench/results/latest.md has the pricing table");
  const cells = row.split("|").map((c) => c.trim());
  return { updates, messages: Number(cells[2].replaceAll(",", "")), cpuUs: Number(cells[4]) };
}

test("the ScaledObject's target backlog per pod follows from the bench's pricing throughput", () => {
  const bench = benchPricing();
  const objects = renderManifests(baseOptions({ env: "prod", keda: true }));
  const cpu = quantity(find(objects, "Deployment", "pricing").spec.template.spec.containers[0].resources.requests.cpu);
  const target = find(objects, "HorizontalPodAutoscaler", "inventory").spec.metrics[0].resource.target.averageUtilization / 100;
  const updatesPerSecond = (cpu * target) / (bench.cpuUs / 1e6);
  const messagesPerSecond = updatesPerSecond / (bench.updates / bench.messages);
  const expected = Math.floor(messagesPerSecond * DELAY_S);
  const queueLength = Number(find(objects, "ScaledObject", "pricing").spec.triggers[0].metadata.queueLength);
  // Within TOLERANCE of the figure: one bench run differs from the last by a
  // few percent on a shared machine, and must not make npm test red; a real
  // change in pricing's cost moves it further and asks for the new target.
  const off = Math.abs(queueLength - expected) / expected;
  assert.ok(off <= TOLERANCE, `queueLength ${queueLength}, but ${cpu} vCPU x ${target} / ${bench.cpuUs} us = ${updatesPerSecond.toFixed(0)} updates/s = ${messagesPerSecond.toFixed(1)} messages/s; x ${DELAY_S} s = ${expected} (${(off * 100).toFixed(0)} % off, more than ${TOLERANCE * 100} %): set it to ${expected}`);
  const alarm = readFileSync(join(ROOT, "live", "_envcommon", "alarms.hcl"), "utf8");
  const threshold = Number(/backlog_threshold\s*=\s*(\d+)/.exec(alarm)?.[1]);
  assert.ok(queueLength < threshold, `the scaler must act before the backlog alarm (${threshold})`);
  const concurrency = loadPricingConfig({ QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue", AWS_REGION: "eu-west-1" }).CONCURRENCY;
  assert.ok(queueLength > concurrency, `a pod's own ${concurrency} messages in flight alone must not add a pod`);
});

test("with KEDA the pricing Deployment has no replica count; without, it has one", () => {
  for (const env of ["dev", "prod"] as const) {
    assert.equal(find(renderManifests(baseOptions({ env, keda: true })), "Deployment", "pricing").spec.replicas, undefined, `${env}: a deploy must not reset what KEDA scaled`);
    assert.equal(typeof find(renderManifests(baseOptions({ env, keda: false })), "Deployment", "pricing").spec.replicas, "number");
  }
});

test("KEDA is on in both environments, and every unit that depends on it takes the same flag", async () => {
  for (const env of ["dev", "prod"]) assert.match(readFileSync(join(ROOT, "live", env, "env.hcl"), "utf8"), /^\s*keda_enabled\s*=\s*true\s*$/m, `${env}: keda_enabled = true`);
  const units = await readUnits(ROOT);
  for (const module of ["irsa", "pipeline", "controllers-release"]) {
    const found = units.filter((u) => u.module === module);
    assert.equal(found.length, 2, module);
    for (const u of found) assert.equal(u.inputs.keda_enabled, "${local.env.keda_enabled}", `${u.env}/${u.name}: keda_enabled from env.hcl`);
  }
  for (const u of units.filter((x) => x.module === "controllers-release")) assert.equal(u.inputs.keda_role_arn, "${dependency.irsa.outputs.keda_operator_role_arn}");
  const spec = readFileSync(join(ROOT, "buildspec.yml"), "utf8") + readFileSync(join(ROOT, "buildspec-promote.yml"), "utf8");
  assert.equal(spec.match(/--pricing-scaling "\$PRICING_SCALING"/g)?.length, 2, "both buildspecs render with the project's PRICING_SCALING");
});
