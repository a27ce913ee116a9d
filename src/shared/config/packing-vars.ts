// The packing and SQS-client settings both services read the same way.

import { bool, int, parseEnv, type Env, type Parsed, type Spec, type VarDef } from "./parse.ts";
import { ConfigError } from "../errors.ts";
import { BILLING_CHUNK_BYTES, MAX_BATCH_BYTES, MAX_MESSAGE_BYTES } from "../limits.ts";
import type { PackingOptions } from "../packer.ts";

export function packingEnv(what: string) {
  return {
    MAX_MESSAGE_BYTES: int({ default: BILLING_CHUNK_BYTES, min: 1024, max: MAX_MESSAGE_BYTES, description: `Largest SQS message of packed ${what} (body plus attributes). The default is one 64 KiB billing chunk.` }),
    MAX_UPDATES_PER_MESSAGE: int({ default: 1000, min: 1, max: 10_000, description: `Most ${what} packed into one SQS message; 1 sends one per message, as before packing.` }),
    MAX_BATCH_BYTES: int({ default: MAX_BATCH_BYTES, min: 1024, max: MAX_BATCH_BYTES, description: "Largest SendMessageBatch payload (SQS and fauxqs 2.x: 1 MiB). At least MAX_MESSAGE_BYTES." }),
    SQS_VERIFY_MD5: bool({ default: true, description: "Check the MD5 digests in SQS answers. Off saves about 15% CPU per call; see docs/performance.md." }),
  };
}

/**
 * A publisher's call limits under the names a service gives them: its
 * SendMessageBatch calls in flight at once, the attempts per entry, and the
 * time limit of one call. `to` names the queue where it is not the service's own.
 */
export function publisherLimitsEnv<const F extends string, const A extends string, const T extends string>(
  [inFlight, attempts, timeout]: [F, A, T],
  o: { inFlight: number; attempts: string; to?: string },
): { [K in F | A | T]: VarDef<number> } {
  const to = o.to ? ` to ${o.to}` : "";
  return {
    [inFlight]: int({ default: o.inFlight, min: 1, max: 1024, description: `SendMessageBatch calls${to} in flight at once.` }),
    [attempts]: int({ default: 3, min: 1, max: 10, description: o.attempts }),
    [timeout]: int({ default: 5000, min: 100, max: 60_000, description: `Time limit of one SendMessageBatch call${to}.` }),
  } as { [K in F | A | T]: VarDef<number> };
}

/** The publisher's packing limits from the parsed settings; refuses a message larger than a batch. */
export function packingFrom(c: { MAX_MESSAGE_BYTES: number; MAX_UPDATES_PER_MESSAGE: number; MAX_BATCH_BYTES: number }): PackingOptions {
  if (c.MAX_MESSAGE_BYTES > c.MAX_BATCH_BYTES) {
    throw new ConfigError("MAX_MESSAGE_BYTES", `must not exceed MAX_BATCH_BYTES (${c.MAX_BATCH_BYTES}), got ${c.MAX_MESSAGE_BYTES}`);
  }
  return { maxMessageBytes: c.MAX_MESSAGE_BYTES, maxEventsPerMessage: c.MAX_UPDATES_PER_MESSAGE, maxBatchBytes: c.MAX_BATCH_BYTES };
}

/** A service's table parsed, with the packing limits checked against each other. */
export function parsePackingService<S extends Spec & ReturnType<typeof packingEnv>>(spec: S, env: Env): Parsed<S> {
  const config = parseEnv(spec, env);
  packingFrom(config as Parsed<ReturnType<typeof packingEnv>>);
  return config;
}
