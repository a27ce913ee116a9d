// The packing and SQS-client settings both services read the same way.

import { bool, int } from "./parse.ts";
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

/** The publisher's packing limits from the parsed settings; refuses a message larger than a batch. */
export function packingFrom(c: { MAX_MESSAGE_BYTES: number; MAX_UPDATES_PER_MESSAGE: number; MAX_BATCH_BYTES: number }): PackingOptions {
  if (c.MAX_MESSAGE_BYTES > c.MAX_BATCH_BYTES) {
    throw new ConfigError("MAX_MESSAGE_BYTES", `must not exceed MAX_BATCH_BYTES (${c.MAX_BATCH_BYTES}), got ${c.MAX_MESSAGE_BYTES}`);
  }
  return { maxMessageBytes: c.MAX_MESSAGE_BYTES, maxEventsPerMessage: c.MAX_UPDATES_PER_MESSAGE, maxBatchBytes: c.MAX_BATCH_BYTES };
}
