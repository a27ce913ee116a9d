// The undici request handler under the real SQS client, against the bench's
// SQS stub and the fauxqs emulator, and against small servers that misbehave
// on purpose: normal calls, a service error, connection refused, a server
// closing a kept-alive socket, an abort in flight, 200 concurrent calls,
// socket reuse and repeated headers.

import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { UndiciHttpHandler } from "../../bench/undici-handler.ts";
import { createQueues, startEmulator, type Emulator } from "../../scripts/emulator.ts";
import { isTransient } from "../../src/shared/sqs.ts";
import { startChild, type Child } from "../../scripts/lib/process.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const handlers: UndiciHttpHandler[] = [];
after(() => handlers.forEach((h) => h.destroy()));

function client(endpoint: string, maxAttempts = 1) {
  const requestHandler = new UndiciHttpHandler({ connections: 16 });
  handlers.push(requestHandler);
  return new SQSClient({ region: "us-east-1", endpoint, useQueueUrlAsEndpoint: false, credentials: CREDENTIALS, maxAttempts, requestHandler });
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An SQS JSON answer, as the stub gives, with whatever the test adds. */
function answer(body: unknown, headers: Record<string, string | string[]> = {}) {
  const text = JSON.stringify(body);
  return { "content-type": "application/x-amz-json-1.0", "content-length": String(Buffer.byteLength(text)), ...headers, text };
}

describe("against the bench's SQS stub", () => {
  let stub: Child;
  let endpoint: string;
  before(async () => {
    stub = startChild([join(ROOT, "bench", "sqs-server.ts"), "--latency-ms", "0"], {});
    endpoint = `http://127.0.0.1:${JSON.parse(await stub.waitFor(/"port"/)).port}`;
  });
  after(() => stub.stop());
  const queue = () => `${endpoint}/000000000000/undici-test`;

  test("a normal call: messages go in and come back with MD5 checks on", async () => {
    const sqs = client(endpoint);
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queue(), Entries: [{ Id: "a", MessageBody: "héllo [1]" }, { Id: "b", MessageBody: "two" }] }));
    assert.equal(sent.Successful?.length, 2);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue(), MaxNumberOfMessages: 10 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ["héllo [1]", "two"]);
  });

  test("an abort in flight surfaces as AbortError, at once", async () => {
    const slow = startChild([join(ROOT, "bench", "sqs-server.ts"), "--latency-ms", "2000"], {});
    try {
      const url = `http://127.0.0.1:${JSON.parse(await slow.waitFor(/"port"/)).port}`;
      const started = Date.now();
      const err = await client(url)
        .send(new SendMessageCommand({ QueueUrl: `${url}/000000000000/q`, MessageBody: "x" }), { abortSignal: AbortSignal.timeout(100) })
        .then(() => undefined, (e: Error) => e);
      assert.equal(err?.name, "AbortError");
      assert.ok(Date.now() - started < 1500, "did not wait for the answer");
      assert.ok(isTransient(err), "an aborted call is retried by the services' own policy");
    } finally {
      await slow.stop();
    }
  });

  test("200 concurrent calls all succeed over a bounded pool", async () => {
    const sqs = client(endpoint);
    const out = await Promise.all(Array.from({ length: 200 }, (_, i) => sqs.send(new SendMessageCommand({ QueueUrl: `${endpoint}/000000000000/many`, MessageBody: `m${i}` }))));
    assert.equal(new Set(out.map((o) => o.MessageId)).size, 200);
  });
});

describe("against fauxqs", () => {
  let e: Emulator;
  before(async () => {
    e = await startEmulator({ port: 0 });
    createQueues(e);
  });
  after(() => e.stop());

  test("a normal call and 200 concurrent ones", async () => {
    const sqs = client(e.endpoint);
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "inventory-update-queue" }));
    const out = await Promise.all(Array.from({ length: 200 }, (_, i) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}`, MessageAttributes: { "content-type": { DataType: "String", StringValue: "text/plain" } } }))));
    assert.equal(new Set(out.map((o) => o.MessageId)).size, 200);
  });

  test("a service error keeps its name and status, and is not transient", async () => {
    const err = await client(e.endpoint)
      .send(new GetQueueUrlCommand({ QueueName: "no-such-queue" }))
      .then(() => undefined, (x: Error & { $metadata?: { httpStatusCode?: number } }) => x);
    assert.match(err?.name ?? "", /QueueDoesNotExist|NonExistentQueue/);
    assert.equal(err?.$metadata?.httpStatusCode, 400);
    assert.equal(isTransient(err), false);
  });
});

test("connection refused keeps ECONNREFUSED and counts as transient", async () => {
  const server = createServer();
  const url = await listening(server);
  await new Promise((r) => server.close(r));
  const err = await client(url)
    .send(new SendMessageCommand({ QueueUrl: `${url}/000000000000/q`, MessageBody: "x" }))
    .then(() => undefined, (x: Error & { code?: string }) => x);
  assert.equal(err?.code, "ECONNREFUSED");
  assert.ok(isTransient(err));
});

test("a server closing kept-alive sockets: the next call still succeeds; a socket cut mid-call is ECONNRESET and retried", async () => {
  let connections = 0;
  let cutNext = false;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (cutNext) {
        cutNext = false;
        req.socket.destroy();
        return;
      }
      const a = answer({ MessageId: "m", MD5OfMessageBody: "9dd4e461268c8034f5c8564e155c67a6" });
      res.writeHead(200, { "content-type": a["content-type"], "content-length": a["content-length"] });
      res.end(a.text);
      // Closes the kept-alive socket shortly after answering, without saying so.
      setTimeout(() => req.socket.destroy(), 20);
    });
  });
  server.on("connection", () => connections++);
  const url = await listening(server);
  try {
    const sqs = client(url, 3);
    const send = () => sqs.send(new SendMessageCommand({ QueueUrl: `${url}/000000000000/q`, MessageBody: "x" }));
    await send();
    await new Promise((r) => setTimeout(r, 100));
    await send();
    assert.equal(connections, 2, "the closed socket was not reused");
    cutNext = true;
    const out = await send();
    assert.equal(out.MessageId, "m", "the SDK retried the cut call");
    const direct = new UndiciHttpHandler();
    handlers.push(direct);
    cutNext = true;
    const err = await direct
      .handle({ method: "POST", protocol: "http:", hostname: "127.0.0.1", port: Number(new URL(url).port), path: "/", query: {}, headers: { "content-type": "application/x-amz-json-1.0" }, body: "{}" })
      .then(() => undefined, (x: Error & { code?: string }) => x);
    assert.equal(err?.code, "ECONNRESET");
    assert.ok(isTransient(err));
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test("every body is read so one socket serves sequential calls; repeated headers are joined", async () => {
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const a = answer({ MessageId: "m", MD5OfMessageBody: "9dd4e461268c8034f5c8564e155c67a6" });
      res.setHeader("x-repeated", ["one", "two"]);
      res.writeHead(200, { "content-type": a["content-type"], "content-length": a["content-length"] });
      res.end(a.text);
    });
  });
  server.on("connection", () => connections++);
  const url = await listening(server);
  try {
    const h = new UndiciHttpHandler();
    handlers.push(h);
    const request = { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: Number(new URL(url).port), path: "/", query: {}, headers: { "content-type": "application/x-amz-json-1.0" }, body: "{}" };
    let last;
    for (let i = 0; i < 20; i++) last = await h.handle(request);
    // A socket returns to the pool a tick after its body is read, so a call
    // right behind may open a second one; without reading, every call would need its own.
    assert.ok(connections <= 2, `${connections} connections for 20 calls`);
    assert.equal(last!.response.headers["x-repeated"], "one, two");
    assert.equal(JSON.parse(Buffer.from(last!.response.body as Uint8Array).toString()).MessageId, "m");
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
