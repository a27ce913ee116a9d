// node:http helpers shared by both services: JSON answers, the error shape
// {"error":{"code","message","field"?}}, the operational endpoints, server
// timeouts with JSON answers for requests that never complete, and a drain
// that keep-alive clients survive.
//
// Drain: from the moment a server starts draining, every answer (also those
// of requests already in progress) carries `Connection: close`, so a client
// never sends another request on a socket the server is about to close; then
// the server stops accepting and closes each socket once it has been idle
// for the keep-alive timeout. Closing an idle socket earlier races with a
// keep-alive client that is writing its next request on it (or a connection
// just accepted, its request not yet read): that client sees a reset. The
// timeout is announced in every answer (`Keep-Alive: timeout=5`) and clients
// close idle sockets before it (undici 2 s before), so only the client ever
// closes an idle socket. A client sees an answer or a refused connection.

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";
import { httpStatus, RETRY_AFTER_S } from "./errors.ts";
import type { Registry } from "./metrics.ts";
import { systemClock } from "./clock.ts";

// node:http through process.getBuiltinModule(), not an ES import: importing a
// builtin as ES builds a facade that reads every export, and node:http's lazy
// getters then load Node's bundled undici (fetch, WebSocket): 10-30 ms of
// every cold start measured here, for nothing this server uses. (Works in the
// ES bundles and in the single executables' CommonJS build alike.)
const { createServer } = process.getBuiltinModule("node:http");

export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string | number>): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(payload);
}

/** Answers `error` with the status HTTP_STATUS gives its code, and Retry-After for the 503 codes; returns the status. */
export function sendError(res: ServerResponse, error: ErrorBody & Record<string, unknown>, headers?: Record<string, string | number>): number {
  const status = httpStatus(error.code);
  const retryAfter = RETRY_AFTER_S[error.code];
  sendJson(res, status, { error }, retryAfter === undefined ? headers : { "retry-after": retryAfter, ...headers });
  return status;
}

/** How long and how much of a refused body is still read (and discarded) after the answer. */
interface LingerBound {
  maxBytes: number;
  maxMs: number;
}

/**
 * A lingering close (RFC 9112 section 9.6) for an answer given before the
 * request body was read, such as a 413: the whole answer is written at once
 * with `Connection: close`, then the rest of the body is read and discarded
 * until it ends, and only then is the connection closed. A client that writes
 * its whole body before it reads (Node 20's fetch does) then reads the answer
 * instead of a reset. Past `bound` (bytes counted from the start of the body,
 * `alreadyRead` included, or time) the socket is destroyed: a hostile client
 * cannot hold it. Nothing read here is kept. Returns the status.
 */
export function sendErrorLingering(req: IncomingMessage, res: ServerResponse, error: ErrorBody & Record<string, unknown>, headers: Record<string, string | number>, bound: LingerBound, alreadyRead = 0): number {
  const status = httpStatus(error.code);
  const payload = JSON.stringify({ error });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(payload), "cache-control": "no-store", ...headers, connection: "close" });
  if (req.complete) {
    res.end(payload);
    return status;
  }
  res.write(payload);
  let seen = alreadyRead;
  const socket = req.socket;
  const finish = (cut: boolean) => {
    clearTimeout(timer);
    req.off("data", onData).off("end", onEnd).off("close", onClose);
    res.end();
    if (cut) socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > bound.maxBytes) finish(true);
  };
  const onEnd = () => finish(false);
  const onClose = () => finish(!req.complete);
  const timer = setTimeout(() => finish(true), bound.maxMs);
  req.on("data", onData).once("end", onEnd).once("close", onClose);
  req.resume();
  return status;
}

interface OpsHandlers {
  /** Readiness: can take traffic now. */
  ready: () => boolean;
  metrics: Registry;
}

/**
 * Answers GET /healthz, /readyz and /metrics; returns false for anything else.
 * These never need a token: probes and scrapers carry none.
 */
export function handleOps(req: IncomingMessage, res: ServerResponse, path: string, ops: OpsHandlers): boolean {
  if (path !== "/healthz" && path !== "/readyz" && path !== "/metrics") return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendError(res, { code: "method_not_allowed", message: `${req.method} is not allowed on ${path}` }, { allow: "GET, HEAD" });
    return true;
  }
  if (path === "/metrics") {
    const text = ops.metrics.render();
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "content-length": Buffer.byteLength(text) });
    res.end(req.method === "HEAD" ? undefined : text);
    return true;
  }
  // Liveness is answering at all: a blocked event loop cannot answer, and the
  // kubelet's probe timeout turns that into a restart. No other signal is
  // needed, and none could be sent from a loop that does not turn.
  const ok = path === "/healthz" || ops.ready();
  sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "unavailable" });
  return true;
}

interface ServerTimeouts {
  /** Whole request, headers and body, must arrive within this; else 408. */
  requestTimeoutMs: number;
  headersTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** Open connections at most; beyond it new ones are closed at once (memory is bounded per connection). */
  maxConnections?: number;
}

interface DrainState {
  draining: boolean;
  /** Answers whose headers are not sent yet. */
  open: Set<ServerResponse>;
  /** Per socket: requests in progress, and since when it has none. */
  sockets: Map<Socket, { active: number; idleSince: number }>;
  /** During a drain, a socket with no request for this long is closed: the keep-alive timeout. */
  idleCloseMs: number;
}

const drains = new WeakMap<Server, DrainState>();

/** From now on every answer of `server` carries `Connection: close`, those in progress included. */
export function startDraining(server: Server): void {
  const state = drains.get(server);
  if (!state || state.draining) return;
  state.draining = true;
  for (const res of state.open) if (!res.headersSent) res.setHeader("connection", "close");
}

const CLIENT_ERRORS: Record<string, [string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: ["request_timeout", "the request did not arrive in time"],
  HPE_HEADER_OVERFLOW: ["headers_too_large", "request headers are too large"],
};
const REASONS: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" };

/** A node:http server whose timeouts and malformed-request answers are JSON too. */
export function createJsonServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  timeouts: ServerTimeouts,
): Server {
  const keepAliveTimeout = timeouts.keepAliveTimeoutMs ?? 5_000;
  const state: DrainState = { draining: false, open: new Set(), sockets: new Map(), idleCloseMs: keepAliveTimeout };
  const server = createServer(
    {
      requestTimeout: timeouts.requestTimeoutMs,
      headersTimeout: Math.min(timeouts.headersTimeoutMs ?? 10_000, timeouts.requestTimeoutMs),
      keepAliveTimeout,
      // How often node checks requestTimeout/headersTimeout (its default is 30 s).
      connectionsCheckingInterval: Math.max(250, Math.min(1_000, Math.floor(timeouts.requestTimeoutMs / 2))),
    },
    (req, res) => {
      if (state.draining) res.setHeader("connection", "close");
      else state.open.add(res);
      const socket = state.sockets.get(req.socket);
      if (socket) socket.active++;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        state.open.delete(res);
        if (socket && --socket.active === 0) socket.idleSince = systemClock.now();
      };
      // 'close' follows 'finish' (next tick) and also marks a response cut short: one listener covers both.
      res.once("close", done);
      handler(req, res);
    },
  );
  server.on("connection", (socket: Socket) => {
    state.sockets.set(socket, { active: 0, idleSince: systemClock.now() });
    socket.once("close", () => state.sockets.delete(socket));
  });
  drains.set(server, state);
  if (timeouts.maxConnections !== undefined) server.maxConnections = timeouts.maxConnections;
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const [code, message] = CLIENT_ERRORS[err.code ?? ""] ?? ["bad_request", "malformed HTTP request"];
    const status = httpStatus(code);
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

/** Listens and resolves with the bound port (useful with port 0). */
export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Drains (see above): stops accepting, lets in-flight requests finish, closes idle keep-alive sockets. */
export function closeServer(server: Server): Promise<void> {
  startDraining(server);
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const state = drains.get(server);
    const sweep = setInterval(() => {
      if (!state) return server.closeIdleConnections();
      const now = systemClock.now();
      for (const [socket, s] of state.sockets) if (s.active === 0 && now - s.idleSince >= state.idleCloseMs) socket.destroy();
    }, 100);
    const closed = () => {
      clearInterval(sweep);
      resolve();
    };
    // net's close, not http's: http's closes idle sockets at once (the race above).
    if (state) NetServer.prototype.close.call(server, closed);
    else server.close(closed);
  });
}
