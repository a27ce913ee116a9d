// Every environment variable the pricing service reads, in one table.

import { int, str, url, type Env, type Parsed } from "../shared/config/parse.ts";
import { PROCESS_VARS, QUEUE_NAME_ALLOWED, QUEUE_NAME_PATTERN, serviceEnv } from "../shared/config/shared-vars.ts";
import { MAX_VISIBILITY_TIMEOUT_S, MAX_WAIT_TIME_S } from "../shared/limits.ts";
import { K8S, QUEUE_NAMES } from "../shared/names.ts";
import { packingEnv, parsePackingService, publisherLimitsEnv } from "../shared/config/packing-vars.ts";

export const PRICING_ENV = {
  ...serviceEnv(K8S.pricing.port, "Port for /healthz, /readyz and /metrics"),
  PRICE_QUEUE_URL: url({ optional: true, description: "Where price.decided messages go. With neither this nor PRICE_QUEUE_NAME, decisions are only logged." }),
  PRICE_QUEUE_NAME: str({ optional: true, pattern: QUEUE_NAME_PATTERN, allowed: QUEUE_NAME_ALLOWED, description: "Price queue name resolved with sqs:GetQueueUrl when PRICE_QUEUE_URL is unset." }),
  DLQ_URL: url({ optional: true, description: "Where a malformed event inside a packed message goes on its own; when unset the URL is looked up from DLQ_NAME." }),
  DLQ_NAME: str({ optional: true, pattern: QUEUE_NAME_PATTERN, allowed: QUEUE_NAME_ALLOWED, description: `DLQ name resolved with sqs:GetQueueUrl when DLQ_URL is unset; when both are unset, ${QUEUE_NAMES.inventoryDlq} (with .fifo when the queue is FIFO).` }),
  ...packingEnv("decisions"),
  EMIT_LINGER_MS: int({ default: 2, min: 0, max: 1000, description: "How long the oldest price decision waits for more to pack with before its message is sent." }),
  ...publisherLimitsEnv(["EMIT_MAX_INFLIGHT_BATCHES", "EMIT_ATTEMPTS", "EMIT_TIMEOUT_MS"], {
    inFlight: 8,
    attempts: "Attempts per decision before its inventory message is retried (the SDK itself makes one attempt per call).",
    to: "the price queue",
  }),
  EMIT_DRAIN_MS: int({ default: 1000, min: 0, max: 60_000, description: "On stop, after the consumer is done, time to store decisions still pending." }),
  POLICY_FILE: str({ default: "/etc/pricing/policy.yaml", allowed: "a file path", description: "The YAML pricing policy (a ConfigMap in Kubernetes)." }),
  POLICY_RELOAD_MS: int({ default: 5000, min: 0, max: 3_600_000, description: "How often the policy file is checked for changes; 0 turns reloading off." }),
  POLLERS: int({ default: 2, min: 1, max: 20, description: "Concurrent ReceiveMessage long polls." }),
  // 5 s, not SQS's maximum of 20: a graceful stop lets an open poll answer, so an idle pod takes
  // this + 2 s to stop (a rolling deploy waits for it per pod). The price of the shorter wait is the
  // empty receives of an idle poller: 30 d x 86,400 s / 5 s = 518,400 a month, USD 0.21 at USD 0.40
  // per million, against USD 0.05 at 20 s; so about USD 0.16 a poller a month buys 15 s off each stop.
  RECEIVE_WAIT_S: int({ default: 5, min: 1, max: MAX_WAIT_TIME_S, description: "Long-poll wait of each ReceiveMessage. A graceful stop lets the polls in flight answer (at most this plus 2 s, within SHUTDOWN_GRACE_MS) and releases what they bring, so an idle pod stops within this plus 2 s; 20 saves about USD 0.16 a poller a month in empty receives and stops 15 s slower." }),
  CONCURRENCY: int({ default: 20, min: 1, max: 1000, description: "Messages in work at once; a poller asks only for free slots, so memory is bounded." }),
  VISIBILITY_TIMEOUT_S: int({ default: 30, min: 5, max: MAX_VISIBILITY_TIMEOUT_S, description: "The queue's visibility timeout; messages in work are extended at half of it." }),
  MAX_TRACKED_SKUS: int({ default: 100_000, min: 100, max: 10_000_000, description: "SKUs whose newest version and price are remembered (least recently used are forgotten)." }),
  SHUTDOWN_GRACE_MS: int({ default: 20_000, min: 0, max: 600_000, description: "After SIGTERM, time to finish messages in work; the rest are released (visibility 0)." }),
  RESTART_MARKER_DIR: str({ optional: true, allowed: "a writable directory path", description: "Where each start is recorded (the pod's emptyDir, /tmp in Kubernetes, which survives a container restart): a start that finds an earlier one sets pricing_container_restarted to 1 for 10 minutes, which the restart alarm reads. Unset: no record, the gauge stays 0." }),
  ...PROCESS_VARS,
};

/**
 * The settings a stop's length follows from (service.ts): SHUTDOWN_GRACE_MS
 * for the messages in work and the polls in flight, then EMIT_DRAIN_MS for
 * decisions not yet stored. The grace period (manifests/pricing) must outlast
 * their sum.
 */
export const STOP_SETTINGS = ["SHUTDOWN_GRACE_MS", "EMIT_DRAIN_MS"] as const;

export type PricingConfig = Parsed<typeof PRICING_ENV>;

export function loadPricingConfig(env: Env): PricingConfig {
  return parsePackingService(PRICING_ENV, env);
}
