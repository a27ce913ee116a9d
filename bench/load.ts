// The load generator, in its own process: autocannon against one URL,
// bounded in duration and connections. Prints one JSON line of results.
//   node bench/load.ts URL TOKEN CONNECTIONS SECONDS

import autocannon from "autocannon";

const [url, token, connections, seconds] = process.argv.slice(2);
let n = 0;
const result = await autocannon({
  url,
  method: "POST",
  connections: Number(connections),
  duration: Number(seconds),
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ sku: `ABC-${n++ % 500}`, quantity: n % 40, version: n }) }) }],
});
const ok = result["2xx"];
process.stdout.write(JSON.stringify({ ok, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, seconds: result.duration, rps: ok / result.duration, p50: result.latency.p50, p99: result.latency.p99 }) + "\n");
