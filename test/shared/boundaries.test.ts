// Boundaries: the FIFO id rule lives in one place, and the process helpers
// the scripts, the bench and the tests share behave as their callers expect.

import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { fifoIds } from "../../src/shared/fifo.ts";
import { freePort, freePorts, rssMb, spawnNode } from "../../scripts/lib/process.ts";

test("fifoIds: the SKU is the group, SKU and version the deduplication id", () => {
  assert.deepEqual(fifoIds("ABC-1", 7), { groupId: "ABC-1", dedupId: "ABC-1:7" });
  assert.notEqual(fifoIds("ABC-1", 7).dedupId, fifoIds("ABC-1", 8).dedupId);
});

test("freePort gives a port that can be listened on at once", async () => {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((ok, fail) => server.once("error", fail).listen(port, "127.0.0.1", () => ok()));
  await new Promise((r) => server.close(r));
});

test("freePorts gives distinct ports, all of which can be listened on together", async () => {
  const ports = await freePorts(8);
  assert.equal(new Set(ports).size, 8, `distinct: ${ports.join(", ")}`);
  const servers = ports.map(() => createServer());
  await Promise.all(servers.map((s, i) => new Promise<void>((ok, fail) => s.once("error", fail).listen(ports[i], "127.0.0.1", () => ok()))));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

test("spawnNode: waits for a line, reads RSS while alive, stops by pid with the signal's exit", async () => {
  const child = spawnNode("sleeper", ["-e", "console.log('up'); setInterval(() => {}, 1000)"], {});
  assert.equal(await child.waitFor(/^up$/), "up");
  assert.ok(rssMb(child.pid) > 1);
  const exit = await child.stop("SIGTERM", 5000);
  assert.equal(exit.signal, "SIGTERM");
  assert.equal(rssMb(child.pid), 0);
  await assert.rejects(spawnNode("quitter", ["-e", "0"], {}).waitFor(/never/, 5000), /quitter exited before/);
});
