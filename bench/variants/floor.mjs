// The floor: a bare node:http server that reads the body, parses the JSON and
// answers 202 with a short JSON body, nothing else (no auth, no validation, no
// SQS). Every inventory figure is also reported as a ratio to it, and its
// spawn-to-first-answer is the yardstick for inventory's cold start. Plain
// JavaScript, so that its start-up pays for no TypeScript stripping.

import { createServer } from "node:http";

const port = Number(process.env.PORT);
createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let status = 202;
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      status = 400;
    }
    const text = status === 202 ? '{"accepted":1}' : '{"error":{"code":"invalid_json"}}';
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
}).listen(port, "127.0.0.1", () => process.stdout.write(JSON.stringify({ msg: "inventory.ready", port }) + "\n"));
process.on("SIGTERM", () => process.exit(0));
