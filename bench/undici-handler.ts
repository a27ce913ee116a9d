// An undici Pool as the SQS client's request handler (the SDK's `requestHandler`
// option), in place of its node:http one. It stays with the bench unless the
// bench shows it pays for its size in the services (see README, Benchmarks).
//
// - honours the SDK's abort signal and surfaces an `AbortError`, as the SDK's
//   own handler does;
// - maps undici's timeouts to `TimeoutError`/ETIMEDOUT and its socket errors to
//   ECONNRESET, the names and codes the SDK's retry strategy and the services'
//   `isTransient` treat as transient; connection errors keep their code
//   (ECONNREFUSED, ENOTFOUND...);
// - reads every body whole, so the socket goes back to the pool;
// - joins repeated response headers with ", ".

import { Pool } from "undici";
import type { HttpRequest, HttpResponse } from "@smithy/types";

export interface UndiciHandlerOptions {
  /** Sockets per origin (the SDK's default agent allows 50). */
  connections?: number;
  connectTimeoutMs?: number;
  /** Time to the response headers, unless the SDK passes a requestTimeout. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
}

/** Headers undici refuses to be given; it manages them itself. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "expect"]);

function abortError(signal: { reason?: unknown } | undefined, cause?: unknown): Error {
  return Object.assign(new Error("Request aborted", { cause: cause ?? signal?.reason }), { name: "AbortError" });
}

/** undici's errors as the SDK and `isTransient` expect them. */
export function mapUndiciError(err: unknown, signal?: { aborted?: boolean; reason?: unknown }): Error {
  const e = err as Error & { code?: string };
  if (signal?.aborted || e?.name === "AbortError") return abortError(signal, err);
  switch (e?.code) {
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return Object.assign(new Error(e.message, { cause: err }), { name: "TimeoutError", code: "ETIMEDOUT" });
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
    case "UND_ERR_DESTROYED":
      return Object.assign(new Error(e.message, { cause: err }), { name: "SocketError", code: "ECONNRESET" });
    default:
      return e instanceof Error ? e : new Error(String(err));
  }
}

function queryString(query: HttpRequest["query"]): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) parts.push(one === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(one)}`);
  }
  return parts.join("&");
}

export class UndiciHttpHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };
  readonly #o: Required<UndiciHandlerOptions>;
  readonly #pools = new Map<string, Pool>();

  constructor(options: UndiciHandlerOptions = {}) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.#o = { connections: 50, connectTimeoutMs: 3000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000, keepAliveTimeoutMs: 4000, ...given };
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#o.connections,
        connectTimeout: this.#o.connectTimeoutMs,
        keepAliveTimeout: this.#o.keepAliveTimeoutMs,
        headersTimeout: this.#o.headersTimeoutMs,
        bodyTimeout: this.#o.bodyTimeoutMs,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async handle(request: HttpRequest, options: { abortSignal?: { aborted?: boolean; reason?: unknown }; requestTimeout?: number } = {}): Promise<{ response: HttpResponse }> {
    const signal = options.abortSignal;
    if (signal?.aborted) throw abortError(signal);
    const origin = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}`;
    const query = queryString(request.query);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
    try {
      const res = await this.#pool(origin).request({
        method: request.method as "POST",
        path: `${request.path}${query ? `?${query}` : ""}`,
        headers,
        body: request.body as string | Uint8Array | undefined,
        signal: signal as AbortSignal | undefined,
        ...(options.requestTimeout ? { headersTimeout: options.requestTimeout } : {}),
      });
      const body = new Uint8Array(await res.body.arrayBuffer());
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
      return { response: { statusCode: res.statusCode, headers: out, body } };
    } catch (err) {
      throw mapUndiciError(err, signal);
    }
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    for (const pool of this.#pools.values()) void pool.destroy();
    this.#pools.clear();
  }
}
