import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { closeServer, createJsonServer, listen, sendJson, startDraining } from "/work/wt/i10/src/shared/http.ts";
const server = createJsonServer((_req, res) => void setTimeout(() => sendJson(res, 200, { ok: true }), 2), { requestTimeoutMs: 5000 });
const port = await listen(server, 0, "127.0.0.1");
let t0 = 0;
const ev: string[] = [];
server.on("connection", (s) => { if (t0) ev.push(`${Date.now()-t0} conn`); s.on("close", () => { if (t0) ev.push(`${Date.now()-t0} sclose`); }); });
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 24, pipelining: 1 });
pool.on("connect", () => { if (t0) ev.push(`${Date.now()-t0} client-connect`); });
pool.on("disconnect", (_o, _c, err) => { if (t0) ev.push(`${Date.now()-t0} client-disconnect ${(err as any)?.code}`); });
const until = Date.now() + 4000;
const worker = async (i: number) => {
  while (Date.now() < until) {
    try {
      const res = await pool.request({ path: "/", method: "POST", body: "{}" });
      await res.body.dump();
      if (res.headers.connection === "close") { ev.push(`${Date.now()-t0} w${i} close-answer`); return; }
      if (i % 3 === 0) await sleep(100);
    } catch (err) { ev.push(`${Date.now()-t0} w${i} ERR ${(err as any).code}`); if ((err as any).code === "ECONNREFUSED") return; }
  }
};
const ws = Array.from({ length: 24 }, (_, i) => worker(i));
await sleep(1000);
t0 = Date.now();
startDraining(server);
await sleep(100);
ev.push(`${Date.now()-t0} closeServer`);
await closeServer(server);
ev.push(`${Date.now()-t0} closed`);
await Promise.all(ws);
await pool.close().catch(() => {});
if (ev.some((e) => e.includes("RESET"))) console.log(ev.join("\n"));
else console.log("no reset");
