// A recording proxy in front of the SQS emulator: it sees every call as the
// SDK serialised it (the JSON protocol: X-Amz-Target names the action), so a
// test can read what really went on the wire, and it can hold or fail calls.

import { createServer, request, type IncomingMessage, type Server } from "node:http";

export interface WireCall {
  action: string;
  /** The request body as sent, parsed. */
  body: Record<string, unknown>;
  at: number;
}

export interface ProxyHooks {
  /** Answer this call with a 500 instead of forwarding it. */
  fail?: (call: WireCall) => boolean;
  /** Hold the emulator's answer before passing it on: this many ms, or until the promise settles. */
  holdAnswerMs?: (call: WireCall) => number | Promise<unknown>;
}

export interface SqsProxy {
  endpoint: string;
  calls: WireCall[];
  callsOf(action: string): WireCall[];
  /** Calls of `action` forwarded and not yet answered. */
  inProgress(action: string): number;
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startSqsProxy(target: string, hooks: ProxyHooks = {}): Promise<SqsProxy> {
  const calls: WireCall[] = [];
  const open = new Map<string, number>();
  const upstream = new URL(target);
  const server: Server = createServer(async (req, res) => {
    const raw = await readAll(req);
    const action = String(req.headers["x-amz-target"] ?? "").replace(/^AmazonSQS\./, "");
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      // not JSON: recorded empty
    }
    const call: WireCall = { action, body, at: Date.now() };
    if (calls.length < 100_000) calls.push(call);
    if (hooks.fail?.(call)) {
      const payload = JSON.stringify({ __type: "com.amazonaws.sqs#InternalError", message: "injected failure" });
      res.writeHead(500, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(payload) });
      res.end(payload);
      return;
    }
    open.set(action, (open.get(action) ?? 0) + 1);
    res.once("close", () => open.set(action, (open.get(action) ?? 1) - 1));
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      async (answer) => {
        const data = await readAll(answer);
        const hold = hooks.holdAnswerMs?.(call) ?? 0;
        if (typeof hold !== "number") await hold.catch(() => {});
        else if (hold > 0) await new Promise((r) => setTimeout(r, hold));
        if (res.destroyed) return;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(data);
      },
    );
    out.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    out.end(raw);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    callsOf: (action) => calls.filter((c) => c.action === action),
    inProgress: (action) => open.get(action) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
