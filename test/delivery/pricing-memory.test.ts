// Pricing's memory limit leaves 25 % above the highest RSS the fault suite
// measured, in every rendered variant; and a container restart (what an OOM
// kill at that limit looks like) is visible outside the cluster.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createPricingMetrics } from "../../src/pricing/metrics.ts";
import { recordStart, restartedWithin } from "../../src/shared/restarts.ts";
import { quantity } from "../helpers/manifest-checks.ts";
import { find, ROOT, variants } from "../helpers/manifests.ts";

/**
 * The highest pricing RSS of the full fault suite: 253, 257, 268 and 251 MiB
 * in four runs since pricing collects garbage on the main thread alone
 * (204-249 in four runs before; docs/fault-tolerance.md); the latest run's
 * table is bench/results/faults.md. A new run above it must raise this
 * figure, and then the limit.
 */
const MEASURED_PEAK_MIB = 268;
const HEADROOM = 1.25;

/** Pricing's peak RSS of each scenario in the fault suite's latest table ("peak RSS MB (inv / pri)"). */
function latestPricingPeaks(): number[] {
  const lines = readFileSync(join(ROOT, "bench", "results", "faults.md"), "utf8").split("\n").filter((l) => l.startsWith("|"));
  const header = lines[0].split("|").map((c) => c.trim());
  const col = header.findIndex((c) => c.startsWith("peak RSS"));
  assert.ok(col > 0, "faults.md has a peak RSS column");
  return lines.slice(2).map((l) => Number(l.split("|")[col].trim().split("/")[1])).filter(Number.isFinite);
}

test("the latest fault run stays within the measured peak the limit is derived from", () => {
  const peaks = latestPricingPeaks();
  assert.ok(peaks.length > 3, "faults.md lists the scenarios");
  assert.ok(Math.max(...peaks) <= MEASURED_PEAK_MIB, `a scenario peaked at ${Math.max(...peaks)} MiB, above ${MEASURED_PEAK_MIB}: raise MEASURED_PEAK_MIB and the limit`);
});

test(`pricing's memory limit is at least ${HEADROOM} x ${MEASURED_PEAK_MIB} MiB in every variant`, () => {
  for (const v of variants()) {
    const c = find(v.objects, "Deployment", "pricing").spec.template.spec.containers[0];
    const limitMib = quantity(c.resources.limits.memory) / 2 ** 20;
    assert.ok(limitMib >= HEADROOM * MEASURED_PEAK_MIB, `${v.name}: limit ${c.resources.limits.memory} < ${HEADROOM} x ${MEASURED_PEAK_MIB} MiB = ${HEADROOM * MEASURED_PEAK_MIB} MiB`);
    assert.equal(find(v.objects, "ConfigMap", "pricing-env").data.RESTART_MARKER_DIR, "/tmp", `${v.name}: starts are recorded`);
    const tmp = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === "/tmp");
    const volume = find(v.objects, "Deployment", "pricing").spec.template.spec.volumes.find((x: { name: string }) => x.name === tmp?.name);
    assert.ok(volume?.emptyDir, `${v.name}: /tmp is the pod's emptyDir, which outlives a container restart`);
  }
});

test("a second start in the same directory is a restart: the gauge is 1 for the window, then 0", () => {
  const dir = mkdtempSync(join(tmpdir(), "restarts-"));
  try {
    let now = 1_000_000;
    assert.equal(recordStart(dir, now), 0, "a new pod has no earlier start");
    const first = createPricingMetrics(restartedWithin(0, now, 600_000, () => now));
    assert.match(first.registry.render(), /^pricing_container_restarted 0$/m);
    const before = recordStart(dir, now);
    assert.equal(before, 1);
    const second = createPricingMetrics(restartedWithin(before, now, 600_000, () => now));
    assert.match(second.registry.render(), /^pricing_container_restarted 1$/m);
    now += 600_000;
    assert.match(second.registry.render(), /^pricing_container_restarted 0$/m, "back to 0 after the window: the alarm returns to OK");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an unwritable RESTART_MARKER_DIR stops pricing at start, naming the variable", async () => {
  const { startPricing } = await import("../../src/pricing/service.ts");
  const { loadPricingConfig } = await import("../../src/pricing/config.ts");
  const config = loadPricingConfig({ QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue", AWS_REGION: "eu-west-1", POLICY_FILE: join(ROOT, "examples", "policy.yaml"), RESTART_MARKER_DIR: "/nonexistent-dir/for-restarts", PORT: "0" });
  await assert.rejects(startPricing(config, { log: { debug() {}, info() {}, warn() {}, error() {} } as never }), /RESTART_MARKER_DIR/);
});
