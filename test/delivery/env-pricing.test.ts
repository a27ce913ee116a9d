// pricing's environment from the rendered manifests against PRICING_ENV
// (src/pricing/config.ts): nothing it does not read, everything it needs,
// values it accepts, the policy file mounted where POLICY_FILE points.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PRICING_ENV, STOP_SETTINGS } from "../../src/pricing/config.ts";
import { effectiveEnv, envViolations, gracePeriodViolations, mountedFileViolations } from "../helpers/manifest-checks.ts";
import { clone, find, variants, type Obj } from "../helpers/manifests.ts";

/** Beyond `doc.required`: what a deployment must set explicitly. */
const NEEDED = ["PORT", "AWS_REGION", "QUEUE_URL", "PRICE_QUEUE_URL", "POLICY_FILE", "VISIBILITY_TIMEOUT_S", "SHUTDOWN_GRACE_MS", "LOG_LEVEL"];

const all = variants();

describe("pricing gets exactly the environment it declares", () => {
  for (const v of all) {
    test(v.name, () => {
      const d = find(v.objects, "Deployment", "pricing");
      assert.deepEqual(envViolations(d, v.objects, PRICING_ENV, NEEDED), []);
      assert.deepEqual(gracePeriodViolations(d, v.objects, PRICING_ENV, STOP_SETTINGS), []);
      const env = effectiveEnv(d, v.objects).env;
      assert.deepEqual(mountedFileViolations(d, "POLICY_FILE", env, { kind: "configMap", name: "pricing-policy", key: "policy.yaml" }), []);
      assert.equal(env.get("POLICY_FILE"), "/etc/pricing/policy.yaml");
      assert.equal(env.get("VISIBILITY_TIMEOUT_S"), "30");
      assert.ok(Number(env.get("SHUTDOWN_GRACE_MS")) < Number(env.get("VISIBILITY_TIMEOUT_S")) * 1000, "drain ends before unfinished messages become visible again");
    });
  }
});

describe("the pricing environment checks catch broken input", () => {
  const objects = all.find((v) => v.name === "prod/spot")!.objects;
  const cm = (o: typeof objects) => find(o, "ConfigMap", "pricing-env") as Obj;
  const cases: Array<[string, (o: typeof objects) => void, RegExp]> = [
    ["a misspelt variable", (o) => (cm(o).data.PRICE_QUEUE = "https://x"), /sets PRICE_QUEUE, which the service does not read/],
    ["a needed variable missing", (o) => delete cm(o).data.PRICE_QUEUE_URL, /does not set PRICE_QUEUE_URL/],
    ["a value the service rejects", (o) => (cm(o).data.VISIBILITY_TIMEOUT_S = "thirty"), /would refuse this configuration: .*VISIBILITY_TIMEOUT_S/],
    ["PORT off the container port", (o) => (cm(o).data.PORT = "8081"), /PORT 8081 is not a container port/],
  ];
  for (const [name, breakIt, expected] of cases) {
    test(name, () => {
      const o = clone(objects);
      breakIt(o);
      const found = envViolations(find(o, "Deployment", "pricing"), o, PRICING_ENV, NEEDED);
      assert.ok(found.some((m) => expected.test(m)), `${expected} not in:\n${found.join("\n")}`);
    });
  }

  test("a stop longer than the grace period: the drain alone, or with the emit drain after it", () => {
    // The ConfigMap sets a 25 s drain; EMIT_DRAIN_MS is 1 s by default.
    for (const [setting, value, stopMs] of [["SHUTDOWN_GRACE_MS", "60000", 61_000], ["EMIT_DRAIN_MS", "20000", 45_000]] as const) {
      const o = clone(objects);
      cm(o).data[setting] = value;
      const found = gracePeriodViolations(find(o, "Deployment", "pricing"), o, PRICING_ENV, STOP_SETTINGS).join();
      assert.match(found, new RegExp(`45 s is not longer than the shutdown sequence \\(${stopMs} ms\\)`), setting);
    }
  });

  test("a policy path that is not the mounted ConfigMap", () => {
    const o = clone(objects);
    const d = find(o, "Deployment", "pricing");
    d.spec.template.spec.containers[0].env[0].value = "/etc/pricing/policy.yml";
    const env = effectiveEnv(d, o).env;
    assert.match(mountedFileViolations(d, "POLICY_FILE", env, { kind: "configMap", name: "pricing-policy", key: "policy.yaml" }).join(), /is not the configMap pricing-policy key policy.yaml/);
  });
});
