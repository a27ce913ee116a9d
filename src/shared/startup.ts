// Startup and teardown both services share: the SQS client built from the
// configuration (with the per-call metric), the "resolve the queues, retry
// with backoff until stopped" loop, and the order of a stop.

import type { Logger } from "./log.ts";
import { retry } from "./retry.ts";
import { createSqsClient, type SqsPort } from "./sqs.ts";

interface SqsSettings {
  AWS_REGION: string;
  AWS_ENDPOINT_URL_SQS?: string;
  SQS_VERIFY_MD5: boolean;
}

/** The injected client, or one built from the configuration that counts its calls. */
export function serviceSqs(
  config: SqsSettings,
  injected: SqsPort | undefined,
  onCall: (action: string, outcome: "ok" | "error") => void,
): SqsPort {
  return injected ?? createSqsClient({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL_SQS, md5: config.SQS_VERIFY_MD5, onCall });
}

/** Frees the sockets of a client built by serviceSqs; an injected stub without destroy() is left alone. */
export function releaseSqs(sqs: SqsPort): void {
  if ("destroy" in sqs && typeof sqs.destroy === "function") sqs.destroy();
}

export interface Readiness {
  /** Settles once `resolve` succeeded or the loop was stopped; never rejects. */
  whenReady: Promise<void>;
  /** Ends the loop (an attempt in flight is aborted) and waits for it to settle. */
  stop(): Promise<void>;
}

/**
 * Runs `attempt` until it succeeds or stop() is called, waiting a jittered
 * exponential backoff (0.25 s to 30 s) between failures. /healthz answers
 * meanwhile and /readyz stays 503.
 */
export function untilReady(log: Logger, attempt: (signal: AbortSignal) => Promise<void>): Readiness {
  const abort = new AbortController();
  const whenReady = retry(() => attempt(abort.signal), {
    attempts: Infinity,
    base: 500,
    cap: 30_000,
    floor: 250,
    signal: abort.signal,
    onRetry: (err, delay) => log.error("queue.resolve_failed", { err, retryInMs: delay }),
  }).catch(() => {});
  return {
    whenReady,
    stop: () => {
      abort.abort();
      return whenReady;
    },
  };
}
