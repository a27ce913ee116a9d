import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { startInventory, type RunningInventory } from "../../src/inventory/service.ts";
import { createLogger } from "../../src/shared/log.ts";
import { readInventoryBody } from "../../src/shared/events.ts";
import { allStored, StubSqs } from "../helpers/sqs-stub.ts";
import { until } from "../helpers/until.ts";

const TOKEN = "test-token-0123456789abcdef";
const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue";
const logLines: string[] = [];
const running: RunningInventory[] = [];
after(() => Promise.all(running.map((r) => r.stop())));

async function start(env: Record<string, string> = {}, sqs = new StubSqs({ SendMessageBatch: allStored })) {
  const config = loadInventoryConfig({
    AWS_REGION: "eu-west-1",
    AUTH_TOKENS: TOKEN,
    QUEUE_URL,
    PORT: "0",
    HOST: "127.0.0.1",
    BATCH_LINGER_MS: "2",
    LOG_LEVEL: "debug",
    ...env,
  });
  const service = await startInventory(config, { sqs: sqs.port, log: createLogger({ level: "debug", write: (l) => void logLines.push(l) }) });
  running.push(service);
  await service.whenReady;
  const base = `http://127.0.0.1:${service.port}`;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/inventory`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return { service, base, post, sqs };
}

function sentMessages(sqs: StubSqs) {
  return sqs.callsOf("SendMessageBatch").flatMap((c) => c.input.Entries.flatMap((e: { MessageBody: string }) => updatesIn(e.MessageBody)));
}

test("202 comes only after SQS has stored every update, with one id per update", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const atSqs = new Promise<void>((r) => (reached = r));
  const sqs = new StubSqs({ SendMessageBatch: async (input) => (reached(), await gate, allStored(input)) });
  const { post, base } = await start({}, sqs);
  let answered = false;
  const pending = post([{ sku: "ABC-1", quantity: 3, version: 9, warehouse: "w1" }, { sku: "ABC-2", quantity: 0 }], { "x-request-id": "req-42" }).then((r) => {
    answered = true;
    return r;
  });
  // No timing guess: the call is held at SQS, and a later request has made
  // a whole round trip, so an answer written before the acknowledgement
  // would have arrived by now.
  await atSqs;
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal(answered, false, "no answer while SQS has not acknowledged");
  release();
  const res = await pending;
  assert.equal(res.status, 202);
  assert.equal(res.headers.get("x-request-id"), "req-42");
  const body = (await res.json()) as any;
  assert.equal(body.accepted, 2);
  const messages = sentMessages(sqs);
  assert.deepEqual(body.ids, messages.map((m) => m.id));
  assert.equal(messages[0].type, "inventory.updated");
  assert.equal(messages[0].schemaVersion, 1);
  assert.equal(messages[0].requestId, "req-42");
  assert.deepEqual([messages[0].sku, messages[0].quantity, messages[0].version, messages[0].warehouse], ["ABC-1", 3, 9, "w1"]);
  assert.ok(Number.isSafeInteger(messages[1].version) && messages[1].version > 1_700_000_000_000, "a missing version is the receive time in ms");
  assert.ok(!Number.isNaN(Date.parse(messages[1].receivedAt)));
});

test("errors are JSON with a code, the field, and the right status", { timeout: 20_000 }, async () => {
  const { base, post } = await start();
  const cases: Array<[string, () => Promise<Response>, number, string, string?]> = [
    ["no token", () => post({ sku: "A", quantity: 1 }, { authorization: "" }), 401, "unauthorized"],
    ["wrong token", () => post({ sku: "A", quantity: 1 }, { authorization: "Bearer wrong-token-0123456789" }), 401, "unauthorized"],
    ["malformed JSON", () => post("{\"sku\":"), 400, "invalid_json", "body"],
    ["a field out of range in an array", () => post([{ sku: "A", quantity: 1 }, { sku: "B", quantity: 1 }, { sku: "C", quantity: 1 }, { sku: "D", quantity: -4 }]), 400, "out_of_range", "[3].quantity"],
    ["an unknown field", () => post({ sku: "A", quantity: 1, colour: "red" }), 400, "unknown_field", "colour"],
    ["an empty array", () => post([]), 400, "empty_batch", "body"],
    ["text/plain", () => post("sku=A", { "content-type": "text/plain" }), 415, "unsupported_media_type", "content-type"],
    ["a body over the limit", () => post(`[${" ".repeat(1_100_000)}]`), 413, "payload_too_large", "body"],
    ["an unknown path", () => fetch(`${base}/v2/nothing`), 404, "not_found"],
    ["GET on the POST route", () => fetch(`${base}/v1/inventory`), 405, "method_not_allowed"],
  ];
  for (const [name, call, status, code, field] of cases) {
    const res = await call();
    assert.equal(res.status, status, name);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/, name);
    const body = (await res.json()) as any;
    assert.equal(body.error.code, code, name);
    assert.equal(typeof body.error.message, "string", name);
    if (field) assert.equal(body.error.field, field, name);
  }
  const r405 = await fetch(`${base}/v1/inventory`, { method: "PUT" });
  assert.equal(r405.headers.get("allow"), "POST");
  const r401 = await post({ sku: "A", quantity: 1 }, { authorization: "" });
  assert.match(r401.headers.get("www-authenticate") ?? "", /^Bearer/);
});

test("a body over the limit sent without Content-Length is cut off with 413", async () => {
  const { service } = await start({ MAX_BODY_BYTES: "1024" });
  const answer = await rawRequest(service.port, [
    `POST /v1/inventory HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
    `800\r\n${"[".padEnd(0x800, " ")}\r\n`,
    `800\r\n${" ".repeat(0x800)}\r\n0\r\n\r\n`,
  ]);
  assert.match(answer, /^HTTP\/1.1 413/);
  assert.match(answer, /"code":"payload_too_large"/);
});

test("a slow, incomplete request times out with a JSON 408", async () => {
  const { service } = await start({ REQUEST_TIMEOUT_MS: "1000" });
  const started = Date.now();
  const answer = await rawRequest(service.port, [
    `POST /v1/inventory HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"sku":`,
  ]);
  assert.match(answer, /^HTTP\/1.1 408/);
  assert.match(answer, /"code":"request_timeout"/);
  assert.ok(Date.now() - started < 5000);
});

test("updates SQS does not store make the request a 503 naming them, with Retry-After", async () => {
  const sqs = new StubSqs({
    SendMessageBatch: (input) => ({
      Successful: input.Entries.filter((e: { MessageBody: string }) => !e.MessageBody.includes('"sku":"BAD"')).map((e: { Id: string }) => ({ Id: e.Id })),
      Failed: input.Entries.filter((e: { MessageBody: string }) => e.MessageBody.includes('"sku":"BAD"')).map((e: { Id: string }) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
    }),
  });
  // One update per message, so SQS can refuse one alone (packed, a message's updates fail together).
  const { post } = await start({ PUBLISH_ATTEMPTS: "2", MAX_UPDATES_PER_MESSAGE: "1" }, sqs);
  const res = await post([{ sku: "OK-1", quantity: 1 }, { sku: "BAD", quantity: 2 }, { sku: "OK-2", quantity: 3 }]);
  assert.equal(res.status, 503);
  assert.ok(Number(res.headers.get("retry-after")) >= 1);
  const body = (await res.json()) as any;
  assert.equal(body.error.code, "publish_failed");
  assert.deepEqual(body.error.notAccepted.map((n: { index: number; sku: string }) => [n.index, n.sku]), [[1, "BAD"]]);
  assert.equal(body.error.accepted, 2);
  assert.equal(body.error.ids[1], null);
  assert.equal(typeof body.error.ids[0], "string");
});

test("when pending updates are at the bound, requests get 503 overloaded at once", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const sqs = new StubSqs({ SendMessageBatch: async (input) => (await gate, allStored(input)) });
  const { post } = await start({ MAX_PENDING_UPDATES: "10" }, sqs);
  const first = post(Array.from({ length: 10 }, (_, i) => ({ sku: `S${i}`, quantity: i })));
  await until(() => sqs.callsOf("SendMessageBatch").length === 1, { what: "the first 10 updates are pending in a call" });
  const second = await post({ sku: "X", quantity: 1 });
  assert.equal(second.status, 503);
  assert.equal(((await second.json()) as any).error.code, "overloaded");
  assert.equal(second.headers.get("retry-after"), "1");
  release();
  assert.equal((await first).status, 202);
});

test("/readyz is 503 until the queue name is resolved; health and metrics need no token", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const sqs = new StubSqs({
    GetQueueUrl: async (input) => (await gate, { QueueUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/${input.QueueName}` }),
    SendMessageBatch: allStored,
  });
  const config = loadInventoryConfig({ AWS_REGION: "eu-west-1", AUTH_TOKENS: TOKEN, PORT: "0", HOST: "127.0.0.1" });
  const service = await startInventory(config, { sqs: sqs.port, log: createLogger({ write: (l) => void logLines.push(l) }) });
  running.push(service);
  const base = `http://127.0.0.1:${service.port}`;
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal((await fetch(`${base}/readyz`)).status, 503);
  const early = await fetch(`${base}/v1/inventory`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: '{"sku":"A","quantity":1}' });
  assert.equal(early.status, 503);
  assert.equal(((await early.json()) as any).error.code, "not_ready");
  release();
  await service.whenReady;
  assert.equal(sqs.callsOf("GetQueueUrl")[0].input.QueueName, "inventory-update-queue");
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /inventory_http_requests_total\{method="POST",route="\/v1\/inventory",status="503"\} 1/);
  assert.match(metrics, /# TYPE inventory_pending_updates gauge/);
});

test("every example in the OpenAPI document passes the service's validation", async () => {
  const { base, post } = await start();
  const doc = (await (await fetch(`${base}/openapi.json`)).json()) as any;
  assert.equal(doc.openapi, "3.1.0");
  const examples = Object.values(doc.paths["/v1/inventory"].post.requestBody.content["application/json"].examples) as Array<{ value: unknown }>;
  assert.ok(examples.length >= 3);
  for (const ex of examples) {
    const res = await post(ex.value);
    assert.equal(res.status, 202, JSON.stringify(ex.value));
  }
});

test("FIFO queue: group id is the SKU, deduplication id is SKU and version", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const { post } = await start({ QUEUE_URL: `${QUEUE_URL}.fifo` }, sqs);
  assert.equal((await post({ sku: "F-1", quantity: 2, version: 11 })).status, 202);
  const entry = sqs.callsOf("SendMessageBatch")[0].input.Entries[0];
  assert.equal(entry.MessageGroupId, "F-1");
  assert.equal(entry.MessageDeduplicationId, "F-1:11");
});

test("shutdown: readiness turns 503 first, updates are still taken during the delay, then pending ones are flushed", async () => {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const { service, base, post } = await start({ BATCH_LINGER_MS: "1000", SHUTDOWN_DELAY_MS: "1000", SHUTDOWN_GRACE_MS: "5000" }, sqs);
  const before = post({ sku: "EARLY", quantity: 1 });
  const pendingUpdates = async () => Number(/^inventory_pending_updates (\d+)/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1]);
  await until(async () => (await pendingUpdates()) === 1, { what: "EARLY is pending" });
  const stopping = service.stop();
  await until(async () => (await fetch(`${base}/readyz`)).status === 503, { what: "readiness turns 503" });
  const during = await post({ sku: "DURING", quantity: 2 });
  assert.equal(during.status, 202);
  assert.equal((await before).status, 202);
  await stopping;
  assert.deepEqual(sentMessages(sqs).map((m) => m.sku).sort(), ["DURING", "EARLY"]);
  await assert.rejects(fetch(`${base}/healthz`), "the server is closed after the stop");
});

test("keep-alive: the timeout comes from KEEP_ALIVE_TIMEOUT_MS and is announced in every answer", async () => {
  const defaults = await start();
  assert.equal((await fetch(`${defaults.base}/healthz`)).headers.get("keep-alive"), "timeout=5");
  const alb = await start({ KEEP_ALIVE_TIMEOUT_MS: "65000" });
  assert.equal((await fetch(`${alb.base}/healthz`)).headers.get("keep-alive"), "timeout=65");
});

// Behind the ALB: an idle connection the balancer keeps (65 s keep-alive)
// does not hold the stop, and a request whose SQS call is still in flight
// when the flush gives up gets its answer before the rest is cut.
test("shutdown: a call in flight past the grace period still answers, then idle connections are cut", { timeout: 20_000 }, async () => {
  const sqs = new StubSqs({ SendMessageBatch: () => new Promise(() => {}) });
  const { service, post } = await start({ KEEP_ALIVE_TIMEOUT_MS: "65000", SHUTDOWN_GRACE_MS: "500", PUBLISH_TIMEOUT_MS: "1000", PUBLISH_ATTEMPTS: "1" }, sqs);
  const idle = connect(service.port, "127.0.0.1");
  let idleAnswer = "";
  idle.setEncoding("utf8").on("data", (d) => (idleAnswer += d));
  const idleClosed = new Promise<void>((resolve) => idle.once("close", () => resolve()));
  idle.write("GET /healthz HTTP/1.1\r\nHost: inventory\r\n\r\n");
  await until(() => idleAnswer.includes("\r\n\r\n"), { what: "the idle connection's first answer" });
  const inFlight = post({ sku: "HUNG", quantity: 1 });
  await until(() => sqs.callsOf("SendMessageBatch").length === 1, { what: "the SQS call is in flight" });
  await service.stop();
  const answer = await inFlight;
  assert.equal(answer.status, 503, "an answer, not a reset");
  assert.equal(((await answer.json()) as { error: { code: string } }).error.code, "publish_failed");
  await idleClosed;
});

test("logs never carry a token or a request body", () => {
  const all = logLines.join("");
  assert.ok(logLines.length > 5);
  assert.ok(!all.includes(TOKEN));
  assert.ok(!all.includes("wrong-token-0123456789"));
  assert.ok(!all.includes("colour"), "no body content");
  for (const line of logLines) {
    const record = JSON.parse(line);
    assert.equal(typeof record.ts, "string");
    assert.ok(["debug", "info", "warn", "error"].includes(record.level));
    assert.equal(typeof record.msg, "string");
  }
});

function rawRequest(port: number, parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (d) => (data += d));
    socket.on("close", () => resolve(data));
    socket.on("error", (err) => (data ? resolve(data) : reject(err)));
    socket.setTimeout(8000, () => socket.destroy());
    socket.on("connect", async () => {
      for (const p of parts) {
        if (socket.destroyed) break;
        socket.write(p);
        await sleep(20);
      }
    });
  });
}

/** The updates one message body holds (a CloudEvents batch), in the shape pricing reads. */
function updatesIn(body: string) {
  return readInventoryBody(body).items.map((i) => {
    if (!i.ok) throw i.error;
    return i.update;
  });
}
