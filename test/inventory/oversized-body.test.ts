// A body over MAX_BODY_BYTES from a client that writes its whole body before
// it reads (a raw socket, as Node 20's fetch behaves): it must read the 413,
// not a reset. The rest of the body is read and dropped up to 2x the limit;
// past that the connection is cut. Nothing of it reaches SQS.

import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { startInventory, type RunningInventory } from "../../src/inventory/service.ts";
import { createLogger } from "../../src/shared/log.ts";
import { allStored, StubSqs } from "../helpers/sqs-stub.ts";

const TOKEN = "test-token-0123456789abcdef";
const running: RunningInventory[] = [];
after(() => Promise.all(running.map((r) => r.stop())));

async function start() {
  const sqs = new StubSqs({ SendMessageBatch: allStored });
  const config = loadInventoryConfig({ AWS_REGION: "eu-west-1", AUTH_TOKENS: TOKEN, QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/q", PORT: "0", HOST: "127.0.0.1", MAX_BODY_BYTES: "1024", LOG_LEVEL: "warn" });
  const service = await startInventory(config, { sqs: sqs.port, log: createLogger({ level: "warn", write: () => {} }) });
  running.push(service);
  await service.whenReady;
  return { port: service.port, sqs };
}

interface Outcome { answer: string; error?: string; wroteAll: boolean; closedAfterMs: number }

/** Writes the head, then every body chunk (`gapMs` apart), and only then starts reading. */
function writeAllThenRead(port: number, head: string, chunks: string[], gapMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const started = Date.now();
    let error: string | undefined;
    let wroteAll = false;
    let answer = "";
    socket.on("error", (err: NodeJS.ErrnoException) => (error ??= err.code ?? err.message));
    socket.on("close", () => resolve({ answer, error, wroteAll, closedAfterMs: Date.now() - started }));
    socket.setTimeout(10_000, () => socket.destroy());
    socket.pause();
    socket.on("connect", async () => {
      socket.write(head);
      for (const c of chunks) {
        await sleep(gapMs);
        if (socket.destroyed) return;
        socket.write(c);
      }
      wroteAll = true;
      socket.setEncoding("utf8");
      socket.on("data", (d: string) => (answer += d));
      socket.resume();
    });
  });
}

const head = (extra: string) => `POST /v1/inventory HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\n${extra}\r\n`;

test("a client that writes a too-large body (declared length) before reading gets the 413, not a reset", async () => {
  const { port, sqs } = await start();
  const body = `[${" ".repeat(1798)}]`;
  const chunks = Array.from({ length: 6 }, (_, i) => body.slice(i * 300, (i + 1) * 300));
  const r = await writeAllThenRead(port, head(`content-length: ${body.length}\r\n`), chunks, 40);
  assert.equal(r.error, undefined, "no EPIPE/ECONNRESET while writing or reading");
  assert.ok(r.wroteAll);
  assert.match(r.answer, /^HTTP\/1.1 413 /);
  assert.match(r.answer, /\r\nconnection: close\r\n/i);
  assert.match(r.answer, /"code":"payload_too_large"/);
  assert.equal(sqs.callsOf("SendMessageBatch").length, 0, "nothing of the request is stored");
});

test("the same without Content-Length (chunked): the 413 is read after the whole body", async () => {
  const { port, sqs } = await start();
  const chunks = Array.from({ length: 6 }, (_, i) => `12c\r\n${(i === 0 ? "[" : " ").padEnd(300, " ")}\r\n`);
  chunks.push("0\r\n\r\n");
  const r = await writeAllThenRead(port, head("transfer-encoding: chunked\r\n"), chunks, 40);
  assert.equal(r.error, undefined);
  assert.match(r.answer, /^HTTP\/1.1 413 /);
  assert.match(r.answer, /"code":"payload_too_large"/);
  assert.equal(sqs.callsOf("SendMessageBatch").length, 0);
});

test("a client that keeps sending past 2x the limit is cut off, not read forever", async () => {
  const { port } = await start();
  const chunk = "x".repeat(1024);
  const r = await writeAllThenRead(port, head("content-length: 10000000\r\n"), Array.from({ length: 200 }, () => chunk), 10);
  assert.equal(r.wroteAll, false, "the server closed the connection before the client had sent 200 KiB");
  assert.ok(r.closedAfterMs < 2000, `closed after ${r.closedAfterMs} ms`);
});
