// The inventory HTTP API on node:http: routing, body limits, validation, and
// the mapping from publish results and error codes to HTTP answers.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, RETRY_AFTER_S, ValidationError } from "../shared/errors.ts";
import { handleOps, sendError, sendErrorLingering, sendJson, type ErrorBody } from "../shared/http.ts";
import type { Logger } from "../shared/log.ts";
import { inventoryUpdatedEvent } from "../shared/events.ts";
import { fifoIds } from "../shared/fifo.ts";
import { validateUpdate, type InventoryUpdate } from "../shared/update.ts";
import type { TokenAuth } from "./auth.ts";
import type { InventoryMetrics } from "./metrics.ts";
import type { PublishEntry, Publisher } from "../shared/publisher.ts";
import { systemClock } from "../shared/clock.ts";

const MAX_UPDATES_PER_REQUEST = 500;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;
/** After a 413 the rest of the body is read and dropped up to 2x MAX_BODY_BYTES or this long, whichever comes first. */
const LINGER_MS = 3000;

interface InventoryAppOptions {
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

/** An error answer of POST /v1/inventory; the status and Retry-After follow from the code. */
interface Failure {
  code: string;
  message: string;
  field?: string;
  headers?: Record<string, string | number>;
  /** More members of the error object, e.g. which updates were not stored. */
  extra?: Record<string, unknown>;
}

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

class BodyTooLarge extends AppError {
  /** Bytes of the body read before it was refused (and dropped). */
  read = 0;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Paused, not dropped: the 413 reads (and discards) the rest with a bound.
        req.pause();
        req.removeAllListeners("data");
        chunks.length = 0;
        const err = new BodyTooLarge("payload_too_large", `the body exceeds ${limit} bytes`);
        err.read = size;
        reject(err);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

export function createInventoryHandler(o: InventoryAppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const now = o.now ?? systemClock.now;
  const newId = o.newId ?? randomUUID;
  const { metrics, log } = o;

  // One incrementer per (method, route, status): node:http knows a fixed set of methods, routes and statuses are ours.
  const counters = new Map<string, (by?: number) => void>();
  const count = (route: string, method: string, status: number) => {
    const k = `${method} ${route} ${status}`;
    let inc = counters.get(k);
    if (!inc) counters.set(k, (inc = metrics.requests.bind({ method, route, status: String(status) })));
    inc();
  };
  /** Answers an error (status and Retry-After from its code) and counts it. */
  const answerError = (res: ServerResponse, route: string, method: string, error: ErrorBody & Record<string, unknown>, headers?: Record<string, string | number>) =>
    count(route, method, sendError(res, error, headers));

  async function postInventory(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const route = "/v1/inventory";
    const fail = (f: Failure) =>
      answerError(res, route, "POST", { code: f.code, message: f.message, ...(f.field ? { field: f.field } : {}), ...f.extra }, { "x-request-id": requestId, ...f.headers });

    if (!o.auth.check(req.headers.authorization)) {
      return fail({ code: "unauthorized", message: "a valid bearer token is required", headers: { "www-authenticate": 'Bearer realm="inventory"' } });
    }
    // Not o.ready(): after SIGTERM /readyz turns 503 first while updates are still taken.
    if (!o.publisher.ready) {
      return fail({ code: "not_ready", message: "the service is not accepting updates now" });
    }
    if (o.maxPendingUpdates !== undefined && o.publisher.pending >= o.maxPendingUpdates) {
      return fail({ code: "overloaded", message: `too many updates waiting to be stored (limit ${o.maxPendingUpdates})` });
    }
    const type = req.headers["content-type"];
    if (!type || !JSON_TYPE.test(type)) {
      return fail({ code: "unsupported_media_type", message: "Content-Type must be application/json", field: "content-type" });
    }
    const tooLarge = (read: number) =>
      count(route, "POST", sendErrorLingering(req, res, { code: "payload_too_large", message: `the body exceeds ${o.maxBodyBytes} bytes`, field: "body" }, { "x-request-id": requestId }, { maxBytes: 2 * o.maxBodyBytes, maxMs: LINGER_MS }, read));
    const declared = Number(req.headers["content-length"]);
    if (declared > o.maxBodyBytes) return tooLarge(0);

    let raw: Buffer;
    try {
      raw = await readBody(req, o.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) return tooLarge(err.read);
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
      if (err instanceof ValidationError) return fail({ code: err.code, message: err.message, field: err.field });
      throw err;
    }

    const receivedAt = new Date(receivedMs).toISOString();
    const fifo = o.fifo();
    const ids: string[] = [];
    const entries: PublishEntry[] = updates.map((u) => {
      const id = newId();
      ids.push(id);
      const body = JSON.stringify(inventoryUpdatedEvent(u, id, requestId, receivedAt));
      return fifo ? { body, ...fifoIds(u.sku, u.version) } : { body };
    });

    let results;
    try {
      results = await o.publisher.submit(entries);
    } catch (err) {
      if (err instanceof AppError && err.code in RETRY_AFTER_S) return fail({ code: err.code, message: err.message });
      throw err;
    }

    const stored = results.filter((r) => r.ok).length;
    metrics.accepted.inc(undefined, stored);
    if (stored === results.length) {
      sendJson(res, 202, { accepted: stored, ids }, { "x-request-id": requestId });
      return count(route, "POST", 202);
    }
    const notAccepted = results.flatMap((r, index) => (r.ok ? [] : [{ index, sku: updates[index].sku, code: r.code, message: r.message }]));
    log.warn("publish.partial_failure", { requestId, updates: results.length, failed: notAccepted.length, code: notAccepted[0].code });
    return fail({
      code: "publish_failed",
      message: `${notAccepted.length} of ${results.length} updates were not stored; retry those (re-sending stored ones is harmless)`,
      extra: { notAccepted, accepted: stored, ids: results.map((r, i) => (r.ok ? ids[i] : null)) },
    });
  }

  return (req, res) => {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?", 1)[0];
    const header = req.headers["x-request-id"];
    const requestId = typeof header === "string" && REQUEST_ID.test(header) ? header : newId();

    if (handleOps(req, res, path, { ready: o.ready, metrics: metrics.registry })) return;

    if (path === "/v1/inventory") {
      if (method !== "POST") {
        return answerError(res, path, method, { code: "method_not_allowed", message: `${method} is not allowed on ${path}` }, { allow: "POST" });
      }
      postInventory(req, res, requestId).catch((err: unknown) => {
        log.error("request.failed", { requestId, err });
        if (!res.headersSent) {
          answerError(res, path, method, { code: "internal", message: "internal error" }, { "x-request-id": requestId });
        }
      });
      return;
    }
    if (path === "/openapi.json") {
      if (method !== "GET" && method !== "HEAD") {
        return answerError(res, path, method, { code: "method_not_allowed", message: `${method} is not allowed on ${path}` }, { allow: "GET, HEAD" });
      }
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(o.openapi) });
      res.end(method === "HEAD" ? undefined : o.openapi);
      return count(path, method, 200);
    }
    answerError(res, "other", method, { code: "not_found", message: `no route for ${path.slice(0, 100)}` });
  };
}
