// Shared startup: the resolve loop retries until it succeeds or is stopped,
// and both services stop the same way: the loop ends before anything else.

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { startInventory } from "../../src/inventory/service.ts";
import { loadPricingConfig } from "../../src/pricing/config.ts";
import { startPricing } from "../../src/pricing/service.ts";
import { createLogger } from "../../src/shared/log.ts";
import { untilReady } from "../../src/shared/startup.ts";
import { StubSqs } from "../helpers/sqs-stub.ts";

const POLICY = fileURLToPath(new URL("../../examples/policy.yaml", import.meta.url));
const quiet = () => createLogger({ level: "error", write: () => {} });

test("untilReady: retries a failing attempt, then settles once it succeeds", async () => {
  let attempts = 0;
  const r = untilReady(quiet(), async () => {
    if (++attempts < 2) throw new Error("not yet");
  });
  await r.whenReady;
  assert.equal(attempts, 2);
  await r.stop();
  assert.equal(attempts, 2, "a stop after success does not run the attempt again");
});

test("untilReady: stop aborts the attempt in flight and no attempt follows", async () => {
  let attempts = 0;
  let aborted = false;
  const r = untilReady(quiet(), (signal) => {
    attempts++;
    return new Promise((_, reject) => signal.addEventListener("abort", () => ((aborted = true), reject(signal.reason))));
  });
  await r.stop();
  assert.equal(aborted, true);
  assert.equal(attempts, 1);
});

// GetQueueUrl never answers: each service is stuck resolving when stop() comes.
const hanging = () => new StubSqs({ GetQueueUrl: () => new Promise(() => {}) });
const starters = {
  inventory: async (sqs: StubSqs) =>
    startInventory(loadInventoryConfig({ AWS_REGION: "eu-west-1", AUTH_TOKENS: "t".repeat(32), PORT: "0", HOST: "127.0.0.1", SHUTDOWN_DELAY_MS: "0" }), { sqs: sqs.port, log: quiet() }),
  pricing: async (sqs: StubSqs) =>
    startPricing(loadPricingConfig({ AWS_REGION: "eu-west-1", POLICY_FILE: POLICY, PORT: "0", HOST: "127.0.0.1", POLICY_RELOAD_MS: "0" }), { sqs: sqs.port, log: quiet() }),
};

for (const [name, start] of Object.entries(starters)) {
  test(`${name}: stop() during queue resolution ends the resolve loop first, then resolves`, async () => {
    const sqs = hanging();
    const service = await start(sqs);
    let readySettled = false;
    void service.whenReady.then(() => (readySettled = true));
    await service.stop();
    assert.equal(readySettled, true, "whenReady settled before stop() resolved");
    assert.equal(sqs.callsOf("GetQueueUrl").length, 1);
  });
}
