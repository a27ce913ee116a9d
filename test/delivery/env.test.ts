// The environment each service starts with, read from the rendered manifests
// (envFrom ConfigMaps + env), against the service's own variable table:
// nothing the service does not read, everything it needs, values it accepts.
// This file: inventory, and what both services must agree on; pricing's own
// table is checked in env-pricing.test.ts.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { INVENTORY_ENV, STOP_SETTINGS } from "../../src/inventory/config.ts";
import { PRICING_ENV } from "../../src/pricing/config.ts";
import { parseFile } from "../helpers/hcl.ts";
import type { Spec } from "../../src/shared/config/parse.ts";
import { HEAP_NODE_OPTIONS, MALLOC_TUNABLES, NODE_FLAGS } from "../../src/shared/config/shared-vars.ts";
import { QUEUE_NAMES } from "../../src/shared/names.ts";
import { effectiveEnv, envViolations, gracePeriodViolations, mountedFileViolations, settingNumber } from "../helpers/manifest-checks.ts";
import { clone, find, ROOT, variants, type Obj } from "../helpers/manifests.ts";
import { parseDockerfile } from "../helpers/docker.ts";

/**
 * What each service needs from the manifests beyond its `doc.required`
 * variables: values that have defaults or fallbacks but must be explicit in
 * a deployment (the queue URL instead of a GetQueueUrl lookup, the token
 * file, the shutdown timings the grace period is sized on).
 */
const SERVICES: Record<string, { spec: Spec; needed: string[]; stop: readonly string[] }> = {
  inventory: {
    spec: INVENTORY_ENV,
    needed: ["PORT", "AWS_REGION", "QUEUE_URL", "AUTH_TOKENS_FILE", "LOG_LEVEL", ...STOP_SETTINGS, "KEEP_ALIVE_TIMEOUT_MS"],
    stop: STOP_SETTINGS,
  },
};

const all = variants();

describe("each service gets exactly the environment it declares", () => {
  for (const v of all) {
    test(v.name, () => {
      for (const [name, { spec, needed, stop }] of Object.entries(SERVICES)) {
        const d = find(v.objects, "Deployment", name);
        assert.deepEqual(envViolations(d, v.objects, spec, needed), [], name);
        assert.deepEqual(gracePeriodViolations(d, v.objects, spec, stop), [], name);
      }
      const inventory = effectiveEnv(find(v.objects, "Deployment", "inventory"), v.objects).env;
      const pricing = effectiveEnv(find(v.objects, "Deployment", "pricing"), v.objects).env;

      assert.deepEqual(mountedFileViolations(find(v.objects, "Deployment", "inventory"), "AUTH_TOKENS_FILE", inventory, { kind: "secret", name: "inventory-api-tokens", key: "tokens" }), []);
      assert.equal(inventory.get("AUTH_TOKENS_FILE"), "/var/run/secrets/inventory/tokens");
      assert.notEqual(inventory.get("AUTH_DISABLED"), "true");
      assert.equal(inventory.has("AUTH_TOKENS"), false, "tokens never in the manifests");
      assert.deepEqual([inventory.get("SHUTDOWN_DELAY_MS"), inventory.get("SHUTDOWN_GRACE_MS")], ["15000", "10000"]);

      // One queue, one region, everywhere.
      assert.equal(inventory.get("QUEUE_URL"), v.options.inventoryQueueUrl);
      assert.equal(pricing.get("QUEUE_URL"), v.options.inventoryQueueUrl);
      assert.equal(pricing.get("PRICE_QUEUE_URL"), v.options.priceQueueUrl);
      assert.equal(inventory.get("AWS_REGION"), v.options.region);
      assert.equal(pricing.get("AWS_REGION"), v.options.region);
      if (v.options.keda) {
        const trigger = find(v.objects, "ScaledObject", "pricing").spec.triggers[0].metadata;
        assert.deepEqual([trigger.queueURL, trigger.awsRegion], [v.options.inventoryQueueUrl, v.options.region]);
      }
      for (const env of [inventory, pricing]) {
        assert.equal(env.get("NODE_OPTIONS"), HEAP_NODE_OPTIONS, "the heap cap the memory bound and the fault suite assume");
        assert.equal(env.get("GLIBC_TUNABLES"), MALLOC_TUNABLES, "the allocator setting the memory bound and the fault suite assume");
        for (const k of ["AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"]) assert.equal(env.has(k), false, `${k} is the IRSA webhook's to set`);
      }
    });
  }

  test("no SendMessageBatch is larger than the queue's largest message (live/_envcommon/queue.hcl)", async () => {
    const queueMax = Number(((await parseFile(join(ROOT, "live", "_envcommon", "queue.hcl"))).inputs as Record<string, unknown>).max_message_size);
    assert.ok(queueMax >= 1024, "queue.hcl sets max_message_size");
    for (const v of all) {
      for (const [name, spec] of [["inventory", INVENTORY_ENV], ["pricing", PRICING_ENV]] as const) {
        const env = effectiveEnv(find(v.objects, "Deployment", name), v.objects).env;
        for (const key of ["MAX_BATCH_BYTES", "MAX_MESSAGE_BYTES"]) {
          const bytes = settingNumber(env, spec, key);
          assert.ok(bytes <= queueMax, `${v.name}: ${name}'s ${key} ${bytes} exceeds the queue's max_message_size ${queueMax}`);
        }
      }
    }
  });

  test("the rendered queue URLs name the queues of names.ts", () => {
    for (const v of all) {
      const pricing = effectiveEnv(find(v.objects, "Deployment", "pricing"), v.objects).env;
      assert.equal(pricing.get("QUEUE_URL")?.split("/").pop(), QUEUE_NAMES.inventory);
      assert.equal(pricing.get("PRICE_QUEUE_URL")?.split("/").pop(), QUEUE_NAMES.price);
    }
  });
});

describe("the environment checks catch broken input", () => {
  const objects = all.find((v) => v.name === "prod/spot")!.objects;
  const cm = (o: typeof objects, name: string) => find(o, "ConfigMap", name) as Obj;

  const cases: Array<[string, string, (o: typeof objects) => void, RegExp]> = [
    ["a misspelt variable", "inventory", (o) => (cm(o, "inventory-env").data.QUEUE_ULR = "https://x"), /sets QUEUE_ULR, which the service does not read/],
    ["a required variable missing", "inventory", (o) => delete cm(o, "inventory-env").data.AWS_REGION, /does not set AWS_REGION \(required\)/],
    ["a needed variable missing", "inventory", (o) => delete cm(o, "inventory-env").data.QUEUE_URL, /does not set QUEUE_URL/],
    ["a value the service rejects", "inventory", (o) => (cm(o, "inventory-env").data.LOG_LEVEL = "verbose"), /would refuse this configuration: .*LOG_LEVEL/],
    ["PORT off the container port", "inventory", (o) => (cm(o, "inventory-env").data.PORT = "8081"), /PORT 8081 is not a container port/],
    ["an envFrom ConfigMap that is not rendered", "inventory", (o) => (find(o, "Deployment", "inventory").spec.template.spec.containers[0].envFrom[0].configMapRef.name = "inventory-settings"), /ConfigMap inventory-settings, which is not rendered/],
  ];
  for (const [name, service, breakIt, expected] of cases) {
    test(name, () => {
      const o = clone(objects);
      breakIt(o);
      const found = envViolations(find(o, "Deployment", service), o, SERVICES[service].spec, SERVICES[service].needed);
      assert.ok(found.some((m) => expected.test(m)), `${expected} not in:\n${found.join("\n")}`);
    });
  }

  test("a grace period shorter than the shutdown sequence", () => {
    const o = clone(objects);
    find(o, "Deployment", "inventory").spec.template.spec.terminationGracePeriodSeconds = 15;
    assert.match(gracePeriodViolations(find(o, "Deployment", "inventory"), o, INVENTORY_ENV, STOP_SETTINGS).join(), /15 s is not longer than the shutdown sequence \(30000 ms\)/);
  });

  test("a grace period that leaves out the SQS calls in flight at the end of the flush", () => {
    const o = clone(objects);
    find(o, "Deployment", "inventory").spec.template.spec.terminationGracePeriodSeconds = 28;
    assert.match(gracePeriodViolations(find(o, "Deployment", "inventory"), o, INVENTORY_ENV, STOP_SETTINGS).join(), /28 s is not longer than the shutdown sequence \(30000 ms\)/);
  });

  test("a token file path that is not the mounted Secret", () => {
    const o = clone(objects);
    const d = find(o, "Deployment", "inventory");
    d.spec.template.spec.containers[0].env[0].value = "/var/run/secrets/inventory/token";
    const env = effectiveEnv(d, o).env;
    assert.match(mountedFileViolations(d, "AUTH_TOKENS_FILE", env, { kind: "secret", name: "inventory-api-tokens", key: "tokens" }).join(), /is not the secret inventory-api-tokens key tokens/);
  });
});

/** The image's ENTRYPOINT (exec form), from the Dockerfile's final stage. */
const ENTRYPOINT = JSON.parse(parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8")).at(-1)!.instructions.findLast((i) => i.keyword === "ENTRYPOINT")!.args) as string[];

/** What a service's container runs: its `command`, or the image's ENTRYPOINT when it sets none. */
function argv(deployment: Obj, service: string): string[] {
  const container = (deployment.spec.template.spec.containers as Obj[]).find((c) => c.name === service)!;
  return (container.command as string[] | undefined) ?? ENTRYPOINT;
}

/** The image's node with the service's flags (NODE_FLAGS) before the image's own arguments. */
function commandViolations(deployment: Obj, service: "inventory" | "pricing"): string[] {
  const [node, ...rest] = ENTRYPOINT;
  const want = [node, ...NODE_FLAGS[service], ...rest];
  const got = argv(deployment, service);
  return JSON.stringify(got) === JSON.stringify(want) ? [] : [`${service} runs ${JSON.stringify(got)}, not ${JSON.stringify(want)}`];
}

describe("each container runs the image's entrypoint with its service's node flags", () => {
  for (const v of all) {
    test(v.name, () => {
      for (const service of ["inventory", "pricing"] as const) assert.deepEqual(commandViolations(find(v.objects, "Deployment", service), service), []);
    });
  }

  test("catches a command without its flags, and a flag the other service does not take", () => {
    const objects = clone(all[0].objects);
    const pricing = find(objects, "Deployment", "pricing");
    const container = (pricing.spec.template.spec.containers as Obj[])[0];
    assert.ok(NODE_FLAGS.pricing.length > 0 && container.command, "pricing sets a command with its flags");
    delete container.command;
    assert.match(commandViolations(pricing, "pricing").join(), /--single-threaded-gc/);
    const inventory = find(objects, "Deployment", "inventory");
    (inventory.spec.template.spec.containers as Obj[])[0].command = argv(pricing, "pricing").toSpliced(1, 0, "--single-threaded-gc");
    assert.equal(commandViolations(inventory, "inventory").length, 1);
  });
});
