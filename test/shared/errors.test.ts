// One error scheme: snake_case codes on every thrown error, one table from
// code to HTTP status, and the OpenAPI document lists only codes it knows.

import assert from "node:assert/strict";
import { test } from "node:test";
import openapi from "../../src/inventory/openapi.json" with { type: "json" };
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { AppError, HTTP_STATUS, httpStatus, RETRY_AFTER_S } from "../../src/shared/errors.ts";
import { requireInt } from "../../src/shared/options.ts";
import { resolveQueueUrl } from "../../src/shared/sqs.ts";
import { StubSqs, sqsError } from "../helpers/sqs-stub.ts";

const CODE = /^[a-z]+(_[a-z]+)*$/;

test("every code in the status table is snake_case and maps to a 4xx or 5xx; 503 codes carry a Retry-After", () => {
  for (const [code, status] of Object.entries(HTTP_STATUS)) {
    assert.match(code, CODE);
    assert.ok(status >= 400 && status <= 599, code);
  }
  for (const code of Object.keys(RETRY_AFTER_S)) assert.equal(httpStatus(code), 503, code);
  assert.equal(httpStatus("no_such_code"), 500);
});

test("the OpenAPI error codes are exactly those with a status", () => {
  const schema = (openapi as any).components.schemas;
  const codes: string[] = JSON.stringify(schema).match(/"enum":\["invalid_json"[^\]]*\]/)![0].match(/"([a-z_]+)"/g)!.map((s) => s.slice(1, -1)).filter((c) => c !== "enum");
  assert.deepEqual([...codes].sort(), Object.keys(HTTP_STATUS).filter((c) => c !== "bad_request" && c !== "headers_too_large").sort());
});

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  assert.fail("did not throw");
};

test("configuration, option and queue errors carry a snake_case code", async () => {
  const config = thrown(() => loadInventoryConfig({ AWS_REGION: "eu-west-1", PORT: "x" }));
  assert.ok(config instanceof AppError && config.code === "invalid_config");
  const option = thrown(() => requireInt("pollers", Number.NaN, 1, 10));
  assert.ok(option instanceof AppError && option.code === "invalid_option");
  await assert.rejects(resolveQueueUrl(new StubSqs().port, {}), { code: "queue_unresolved" });
  const sqs = new StubSqs({ GetQueueUrl: () => Promise.reject(sqsError("QueueDoesNotExist", 400)) });
  await assert.rejects(resolveQueueUrl(sqs.port, { name: "missing" }), (err: AppError) => {
    assert.equal(err.code, "queue_unresolved");
    assert.match(err.message, /missing.*QueueDoesNotExist/);
    assert.equal((err.cause as Error).name, "QueueDoesNotExist");
    return true;
  });
});
