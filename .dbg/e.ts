import { setTimeout as sleep } from "node:timers/promises";
import { createServer } from "node:http";
import { Server as NetServer } from "node:net";
import { Pool } from "undici";
const mode = process.argv[2];
const server = createServer({ keepAliveTimeout: 5000 }, (_req, res) => void setTimeout(() => { if (draining) res.setHeader("connection", "close"); res.end("ok"); }, 2));
let draining = false;
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as any).port;
let t0 = 0; const ev: string[] = [];
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 24, pipelining: 1 });
pool.on("disconnect", (_o, _c, err) => { if (t0) ev.push(`${Date.now()-t0} client-disconnect ${(err as any)?.code} ${(err as any)?.message}`); });
const until = Date.now() + 4000;
const worker = async (i: number) => {
  while (Date.now() < until) {
    try {
      const res = await pool.request({ path: "/", method: "POST", body: "{}" });
      await res.body.dump();
      if (res.headers.connection === "close") return;
      if (i % 3 === 0) await sleep(100);
    } catch (err) { ev.push(`${Date.now()-t0} w${i} ERR ${(err as any).code}`); if ((err as any).code === "ECONNREFUSED") return; }
  }
};
const ws = Array.from({ length: 24 }, (_, i) => worker(i));
await sleep(1000);
t0 = Date.now(); draining = true;
await sleep(100);
ev.push(`${Date.now()-t0} close`);
if (mode === "net") NetServer.prototype.close.call(server);
await Promise.all(ws);
await pool.close().catch(() => {});
server.closeAllConnections(); server.close();
console.log(mode, ev.filter((e) => /ERR /.test(e)).join(" | ") || "no error", ev.filter((e)=>/close$/.test(e)).join());
