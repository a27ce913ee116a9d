// The HTTP drain: keep-alive clients busy during a stop see answers (from
// the drain on with Connection: close), never a reset. A client told
// Connection: close goes elsewhere, as behind a load balancer. (A client
// that reconnects at the very moment the listener closes can be reset by
// the kernel, its connection still in the accept queue; no server can
// prevent that, which is what SHUTDOWN_DELAY_MS is for.)

import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { until } from "../helpers/until.ts";
import { Client } from "undici";
import { closeServer, createJsonServer, listen, sendJson, startDraining } from "../../src/shared/http.ts";

test("drain: 24 keep-alive clients busy through a close see no reset; their answers from the drain on carry Connection: close", { timeout: 30_000 }, async () => {
  const server = createJsonServer((_req, res) => void setTimeout(() => sendJson(res, 200, { ok: true }), 2), { requestTimeoutMs: 5000 });
  const port = await listen(server, 0, "127.0.0.1");
  const outcomes = new Map<string, number>();
  const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  // Each client ends when told Connection: close (or refused); the bound only stops a runaway test.
  const stopAt = Date.now() + 25_000;
  const worker = async (i: number) => {
    const client = new Client(`http://127.0.0.1:${port}`, { pipelining: 1 });
    while (Date.now() < stopAt) {
      try {
        const res = await client.request({ path: "/", method: "POST", body: "{}" });
        await res.body.dump();
        const told = res.headers.connection === "close";
        count(told ? "200 close" : String(res.statusCode));
        if (told) break;
        // A third of the clients pause between requests: their sockets sit idle at the drain.
        if (i % 3 === 0) await sleep(100);
      } catch (err) {
        count((err as { code?: string }).code ?? "error");
        if ((err as { code?: string }).code === "ECONNREFUSED") break;
      }
    }
    await client.close().catch(() => {});
  };
  const workers = Array.from({ length: 24 }, (_, i) => worker(i));
  await until(() => (outcomes.get("200") ?? 0) > 100, { what: "100 requests served before the drain" });
  startDraining(server);
  await until(() => (outcomes.get("200 close") ?? 0) > 0, { what: "a client told Connection: close while the server still listens" });
  await closeServer(server);
  await Promise.all(workers);
  const seen = Object.fromEntries(outcomes);
  assert.ok((outcomes.get("200") ?? 0) > 100, `served before the drain: ${JSON.stringify(seen)}`);
  assert.equal(outcomes.get("200 close"), 24, `every client, busy or pausing, is told Connection: close: ${JSON.stringify(seen)}`);
  const resets = [...outcomes].filter(([k]) => !["200", "200 close", "ECONNREFUSED"].includes(k));
  assert.deepEqual(resets, [], `no reset or socket error: ${JSON.stringify(seen)}`);
});
