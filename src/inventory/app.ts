// The inventory HTTP API on node:http: routing, body limits, validation, and
// the mapping from publish results and error codes to HTTP answers.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, ValidationError } from "../shared/errors.ts";
import { handleOps, sendError, sendJson } from "../shared/http.ts";
import type { Logger } from "../shared/log.ts";
import { inventoryUpdatedEvent } from "../shared/events.ts";
import { validateUpdate, type InventoryUpdate } from "../shared/message.ts";
import type { TokenAuth } from "./auth.ts";
import type { InventoryMetrics } from "./metrics.ts";
import type { PublishEntry, Publisher } from "../shared/publisher.ts";

export const MAX_UPDATES_PER_REQUEST = 500;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

export interface InventoryAppOptions {
  publisher: Publisher;
  auth: TokenAuth;
  metrics: InventoryMetrics;
  log: Logger;
  maxBodyBytes: number;
  /**
   * MAX_PENDING_UPDATES: with this many updates already waiting for SQS, a
   * request is answered 503 before its body is read or parsed, so overload
   * costs neither memory nor CPU per rejected update. Unset: only the
   * publisher's own limit applies.
   */
  maxPendingUpdates?: number;
  /** FIFO queues need a group and deduplication id per message. */
  fifo: () => boolean;
  /** For /readyz; turns false on shutdown before the publisher stops taking updates. */
  ready: () => boolean;
  openapi: string;
  now?: () => number;
  newId?: () => string;
}

/** Error codes that are the server's state, not the request's: 503 + Retry-After. */
const UNAVAILABLE: Record<string, number> = { not_ready: 1, shutting_down: 5, overloaded: 1 };

export function parseUpdates(body: unknown, nowMs: number): InventoryUpdate[] {
  if (Array.isArray(body)) {
    if (body.length === 0) throw new ValidationError("empty_batch", "the array must hold at least 1 update", "body");
    if (body.length > MAX_UPDATES_PER_REQUEST) {
      throw new ValidationError("too_many_updates", `at most ${MAX_UPDATES_PER_REQUEST} updates per request`, "body");
    }
    return body.map((item, i) => validateUpdate(item, `[${i}]`, nowMs));
  }
  return [validateUpdate(body, "", nowMs)];
}

class BodyTooLarge extends AppError {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge("payload_too_large", `the body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

export function createInventoryHandler(o: InventoryAppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const now = o.now ?? Date.now;
  const newId = o.newId ?? randomUUID;
  const { metrics, log } = o;

  const respond = (res: ServerResponse, route: string, method: string, status: number, send: () => void) => {
    send();
    metrics.requests.inc({ method, route, status: String(status) });
  };

  async function postInventory(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const route = "/v1/inventory";
    const fail = (status: number, code: string, message: string, field?: string, headers?: Record<string, string | number>, extra?: Record<string, unknown>) =>
      respond(res, route, "POST", status, () => sendError(res, status, { code, message, ...(field ? { field } : {}), ...extra }, { "x-request-id": requestId, ...headers }));

    if (!o.auth.check(req.headers.authorization)) {
      return fail(401, "unauthorized", "a valid bearer token is required", undefined, { "www-authenticate": 'Bearer realm="inventory"' });
    }
    // Not o.ready(): after SIGTERM /readyz turns 503 first while updates are still taken.
    if (!o.publisher.ready) {
      return fail(503, "not_ready", "the service is not accepting updates now", undefined, { "retry-after": UNAVAILABLE.not_ready });
    }
    if (o.maxPendingUpdates !== undefined && o.publisher.pending >= o.maxPendingUpdates) {
      return fail(503, "overloaded", `too many updates waiting to be stored (limit ${o.maxPendingUpdates})`, undefined, { "retry-after": UNAVAILABLE.overloaded });
    }
    const type = req.headers["content-type"];
    if (!type || !JSON_TYPE.test(type)) {
      return fail(415, "unsupported_media_type", "Content-Type must be application/json", "content-type");
    }
    const declared = Number(req.headers["content-length"]);
    if (declared > o.maxBodyBytes) {
      return fail(413, "payload_too_large", `the body exceeds ${o.maxBodyBytes} bytes`, "body", { connection: "close" });
    }

    let raw: Buffer;
    try {
      raw = await readBody(req, o.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) return fail(413, err.code, err.message, "body", { connection: "close" });
      return; // the client went away mid-body; nothing to answer
    }

    let updates: InventoryUpdate[];
    const receivedMs = now();
    try {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        throw new ValidationError("invalid_json", "the body is not valid JSON", "body");
      }
      updates = parseUpdates(body, receivedMs);
    } catch (err) {
      if (err instanceof ValidationError) return fail(400, err.code, err.message, err.field);
      throw err;
    }

    const receivedAt = new Date(receivedMs).toISOString();
    const fifo = o.fifo();
    const ids: string[] = [];
    const entries: PublishEntry[] = updates.map((u) => {
      const id = newId();
      ids.push(id);
      const entry: PublishEntry = { body: JSON.stringify(inventoryUpdatedEvent(u, id, requestId, receivedAt)) };
      if (fifo) {
        entry.groupId = u.sku;
        entry.dedupId = `${u.sku}:${u.version}`;
      }
      return entry;
    });

    let results;
    try {
      results = await o.publisher.submit(entries);
    } catch (err) {
      if (err instanceof AppError && err.code in UNAVAILABLE) {
        return fail(503, err.code, err.message, undefined, { "retry-after": UNAVAILABLE[err.code] });
      }
      throw err;
    }

    const stored = results.filter((r) => r.ok).length;
    metrics.accepted.inc(undefined, stored);
    if (stored === results.length) {
      return respond(res, route, "POST", 202, () => sendJson(res, 202, { accepted: stored, ids }, { "x-request-id": requestId }));
    }
    const notAccepted = results.flatMap((r, index) => (r.ok ? [] : [{ index, sku: updates[index].sku, code: r.code, message: r.message }]));
    log.warn("publish.partial_failure", { requestId, updates: results.length, failed: notAccepted.length, code: notAccepted[0].code });
    return fail(
      503,
      "publish_failed",
      `${notAccepted.length} of ${results.length} updates were not stored; retry those (re-sending stored ones is harmless)`,
      undefined,
      { "retry-after": 2 },
      { notAccepted, accepted: stored, ids: results.map((r, i) => (r.ok ? ids[i] : null)) },
    );
  }

  return (req, res) => {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?", 1)[0];
    const header = req.headers["x-request-id"];
    const requestId = typeof header === "string" && REQUEST_ID.test(header) ? header : newId();

    if (handleOps(req, res, path, { ready: o.ready, metrics: metrics.registry })) return;

    if (path === "/v1/inventory") {
      if (method !== "POST") {
        return respond(res, path, method, 405, () =>
          sendError(res, 405, { code: "method_not_allowed", message: `${method} is not allowed on ${path}` }, { allow: "POST" }),
        );
      }
      postInventory(req, res, requestId).catch((err: unknown) => {
        log.error("request.failed", { requestId, err });
        if (!res.headersSent) {
          respond(res, path, method, 500, () => sendError(res, 500, { code: "internal", message: "internal error" }, { "x-request-id": requestId }));
        }
      });
      return;
    }
    if (path === "/openapi.json") {
      if (method !== "GET" && method !== "HEAD") {
        return respond(res, path, method, 405, () =>
          sendError(res, 405, { code: "method_not_allowed", message: `${method} is not allowed on ${path}` }, { allow: "GET, HEAD" }),
        );
      }
      return respond(res, path, method, 200, () => {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(o.openapi) });
        res.end(method === "HEAD" ? undefined : o.openapi);
      });
    }
    respond(res, "other", method, 404, () => sendError(res, 404, { code: "not_found", message: `no route for ${path.slice(0, 100)}` }));
  };
}
