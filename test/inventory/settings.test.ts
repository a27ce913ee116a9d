// The packing and MD5 settings, from the environment through the config to
// the running service and its real SQS client.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { startInventory } from "../../src/inventory/service.ts";
import { loadPricingConfig } from "../../src/pricing/config.ts";
import { ConfigError } from "../../src/shared/errors.ts";
import { createLogger } from "../../src/shared/log.ts";

const TOKEN = "settings-token-0123456789abcdef";
const BASE = { AWS_REGION: "eu-west-1", AUTH_TOKENS: TOKEN, PORT: "0", HOST: "127.0.0.1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" };

test("bad packing settings are refused, naming the variable and what it allows", () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ MAX_MESSAGE_BYTES: "100" }, /MAX_MESSAGE_BYTES: must be an integer 1024-1048576/],
    [{ MAX_UPDATES_PER_MESSAGE: "0" }, /MAX_UPDATES_PER_MESSAGE: must be an integer 1-10000/],
    [{ MAX_BATCH_BYTES: "2000000" }, /MAX_BATCH_BYTES: must be an integer 1024-1048576/],
    [{ MAX_MESSAGE_BYTES: "65536", MAX_BATCH_BYTES: "32768" }, /MAX_MESSAGE_BYTES: must not exceed MAX_BATCH_BYTES \(32768\)/],
    [{ SQS_VERIFY_MD5: "sometimes" }, /SQS_VERIFY_MD5: must be true or false/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadInventoryConfig({ ...BASE, ...env }), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
    assert.throws(() => loadPricingConfig({ ...BASE, ...env }), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
  }
  const c = loadInventoryConfig(BASE);
  assert.deepEqual([c.MAX_MESSAGE_BYTES, c.MAX_UPDATES_PER_MESSAGE, c.MAX_BATCH_BYTES, c.SQS_VERIFY_MD5], [65_536, 1000, 1_048_576, true]);
});

/** An SQS stand-in that stores everything but answers with a wrong MD5 of each body. */
async function wrongMd5Server() {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const input = JSON.parse(Buffer.concat(chunks).toString() || "{}");
      const body = JSON.stringify({ Successful: (input.Entries ?? []).map((e: { Id: string }) => ({ Id: e.Id, MessageId: `m${e.Id}`, MD5OfMessageBody: "00000000000000000000000000000000" })), Failed: [] });
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

test("SQS_VERIFY_MD5: on, a corrupted answer fails the request; off, it is accepted", async () => {
  const { server, url } = await wrongMd5Server();
  const post = async (env: Record<string, string>) => {
    const config = loadInventoryConfig({ ...BASE, ...env, AWS_ENDPOINT_URL_SQS: url, QUEUE_URL: `${url}/000000000000/inventory-update-queue`, PUBLISH_ATTEMPTS: "1", BATCH_LINGER_MS: "1" });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" });
    const service = await startInventory(config, { log: createLogger({ level: "error", write: () => {} }) });
    try {
      await service.whenReady;
      const res = await fetch(`http://127.0.0.1:${service.port}/v1/inventory`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: '{"sku":"ABC-1","quantity":1}' });
      return res.status;
    } finally {
      await service.stop();
    }
  };
  try {
    assert.equal(await post({}), 503, "the default verifies and refuses the mismatch");
    assert.equal(await post({ SQS_VERIFY_MD5: "false" }), 202);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
