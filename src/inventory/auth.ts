// Bearer-token authentication. Tokens come from AUTH_TOKENS and/or a mounted
// file; they are compared in constant time (SHA-256 digests, timingSafeEqual
// against every configured token) and never logged or echoed.

import { hash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError } from "../shared/errors.ts";
import { watchFile } from "../shared/file-watch.ts";
import type { Logger } from "../shared/log.ts";

const TOKEN = /^[A-Za-z0-9\-._~+/]{16,512}=*$/;
const HEADER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

function digest(token: string): Buffer {
  // One-shot: no Hash object per request (measured ~4 us of ~6 per check under load).
  return hash("sha256", token, "buffer");
}

/** Splits a token list (commas or newlines; `#` starts a comment line). */
export function parseTokens(text: string, source: string): string[] {
  const tokens = text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter((t) => t !== "" && !t.startsWith("#"));
  tokens.forEach((t, i) => {
    if (!TOKEN.test(t)) {
      throw new ConfigError(source, `token #${i + 1} must be 16-512 characters of A-Z a-z 0-9 - . _ ~ + / (then = padding)`);
    }
  });
  return tokens;
}

export class TokenAuth {
  #digests: Buffer[];
  readonly disabled: boolean;
  constructor(tokens: readonly string[], disabled = false) {
    this.#digests = tokens.map(digest);
    this.disabled = disabled;
  }
  get size(): number {
    return this.#digests.length;
  }
  replace(tokens: readonly string[]): void {
    this.#digests = tokens.map(digest);
  }
  /** True when the Authorization header carries a configured token (or auth is disabled). */
  check(header: string | undefined): boolean {
    if (this.disabled) return true;
    const m = header ? HEADER.exec(header) : null;
    const presented = digest(m ? m[1] : "");
    let ok = 0;
    for (const d of this.#digests) ok |= Number(timingSafeEqual(d, presented));
    return m !== null && ok === 1;
  }
}

interface AuthSettings {
  AUTH_TOKENS?: string;
  AUTH_TOKENS_FILE?: string;
  AUTH_DISABLED: boolean;
}

function readTokenFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ConfigError("AUTH_TOKENS_FILE", `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? "error"}`, { cause });
  }
  return parseTokens(text, "AUTH_TOKENS_FILE");
}

/** Builds the authenticator at start; refuses to run with no token unless AUTH_DISABLED=true. */
export function loadAuth(settings: AuthSettings): TokenAuth {
  const fromEnv = settings.AUTH_TOKENS ? parseTokens(settings.AUTH_TOKENS, "AUTH_TOKENS") : [];
  const fromFile = settings.AUTH_TOKENS_FILE ? readTokenFile(settings.AUTH_TOKENS_FILE) : [];
  const tokens = [...fromEnv, ...fromFile];
  if (tokens.length === 0 && !settings.AUTH_DISABLED) {
    throw new ConfigError("AUTH_TOKENS", "no token configured: set AUTH_TOKENS or AUTH_TOKENS_FILE, or AUTH_DISABLED=true to accept unauthenticated requests");
  }
  return new TokenAuth(tokens, settings.AUTH_DISABLED);
}

/**
 * Re-reads the token file every `intervalMs` so a rotated Kubernetes Secret
 * takes effect without a restart. An unreadable or empty new file keeps the
 * tokens in force and logs a warning (src/shared/file-watch.ts). Returns a
 * function that stops watching.
 */
export function watchTokenFile(auth: TokenAuth, settings: AuthSettings, log: Logger, intervalMs = 10_000): () => void {
  const path = settings.AUTH_TOKENS_FILE;
  if (!path) return () => {};
  const fromEnv = settings.AUTH_TOKENS ? parseTokens(settings.AUTH_TOKENS, "AUTH_TOKENS") : [];
  let last = "";
  try {
    last = readFileSync(path, "utf8");
  } catch {
    // loadAuth already reported an unreadable file at start
  }
  const watch = watchFile({
    path,
    initial: last,
    parse: (text) => {
      const tokens = [...fromEnv, ...parseTokens(text, "AUTH_TOKENS_FILE")];
      if (tokens.length === 0) throw new ConfigError("AUTH_TOKENS_FILE", "no token in file");
      return tokens;
    },
    onChange: (tokens) => {
      auth.replace(tokens);
      log.info("auth.tokens_reloaded", { count: tokens.length });
    },
    onUnreadable: (err) => log.warn("auth.tokens_unreadable", { file: path, code: err.code }),
    onRejected: (err) => log.warn("auth.tokens_rejected", { file: path, err }),
  });
  watch.start(intervalMs);
  return watch.stop;
}
