// Every environment variable the inventory service reads, in one table.

import { bool, int, str, type Env, type Parsed } from "../shared/config/parse.ts";
import { PROCESS_VARS, serviceEnv } from "../shared/config/shared-vars.ts";
import { K8S } from "../shared/names.ts";
import { packingEnv, parsePackingService, publisherLimitsEnv } from "../shared/config/packing-vars.ts";

export const INVENTORY_ENV = {
  ...serviceEnv(K8S.inventory.port, "HTTP port for the API, health and metrics"),
  AUTH_TOKENS: str({ optional: true, allowed: "comma-separated tokens, each 16+ characters of A-Z a-z 0-9 - . _ ~ + / =", description: "Bearer tokens accepted by POST /v1/inventory." }),
  AUTH_TOKENS_FILE: str({ optional: true, allowed: "a file path", description: "File with one token per line (a mounted Kubernetes Secret); re-read when it changes." }),
  AUTH_DISABLED: bool({ default: false, description: "Accept requests without a token. The service refuses to start with no token unless this is true." }),
  BATCH_LINGER_MS: int({ default: 5, min: 0, max: 1000, description: "How long the oldest update waits for more to pack with before its message is sent; a full message leaves at once. 0: no wait, a call leaves when the previous one has returned and carries what arrived meanwhile. See docs/performance.md for the cost-latency curve." }),
  ...packingEnv("updates"),
  MAX_PENDING_UPDATES: int({ default: 5000, min: 10, max: 1_000_000, description: "Updates accepted for publishing but not yet stored; beyond it requests get 503 at once." }),
  ...publisherLimitsEnv(["MAX_INFLIGHT_BATCHES", "PUBLISH_ATTEMPTS", "PUBLISH_TIMEOUT_MS"], { inFlight: 32, attempts: "Attempts per update before its request answers 503." }),
  MAX_BODY_BYTES: int({ default: 1_048_576, min: 1024, max: 10_485_760, description: "Largest request body; larger gets 413." }),
  MAX_CONNECTIONS: int({ default: 256, min: 1, max: 4096, description: "Open client connections at most; more are closed at once. Bounds memory with MAX_BODY_BYTES (see Fault tolerance)." }),
  KEEP_ALIVE_TIMEOUT_MS: int({ default: 5_000, min: 1000, max: 4_100_000, description: "How long an idle keep-alive connection stays open. Behind a load balancer, longer than its idle timeout: the ALB keeps idle connections 60 s and answers 502 when it reuses one the service has just closed (manifests/inventory: 65 s)." }),
  REQUEST_TIMEOUT_MS: int({ default: 15_000, min: 1000, max: 300_000, description: "Time for a client to send a whole request; slower gets 408." }),
  SHUTDOWN_DELAY_MS: int({ default: 0, min: 0, max: 60_000, description: "After SIGTERM, keep serving this long with /readyz at 503 so load balancers stop routing first." }),
  SHUTDOWN_GRACE_MS: int({ default: 10_000, min: 0, max: 120_000, description: "After that, time to finish requests and flush pending updates. Calls to SQS still in flight then answer within PUBLISH_TIMEOUT_MS; what is still open after that is cut, so a stop takes at most SHUTDOWN_DELAY_MS + SHUTDOWN_GRACE_MS + PUBLISH_TIMEOUT_MS." }),
  ...PROCESS_VARS,
};

export type InventoryConfig = Parsed<typeof INVENTORY_ENV>;

export function loadInventoryConfig(env: Env): InventoryConfig {
  return parsePackingService(INVENTORY_ENV, env);
}

/** The settings a stop's length follows from. */
export const STOP_SETTINGS = ["SHUTDOWN_DELAY_MS", "SHUTDOWN_GRACE_MS", "PUBLISH_TIMEOUT_MS"] as const;
export type StopSetting = (typeof STOP_SETTINGS)[number];

/**
 * The longest a stop takes (service.ts): serving for SHUTDOWN_DELAY_MS, the
 * flush for SHUTDOWN_GRACE_MS, then PUBLISH_TIMEOUT_MS for the calls then in
 * flight to answer. The grace period and the ALB's deregistration delay are
 * sized on it (manifests/inventory, scripts/render/ingress.ts).
 */
export function stopBoundMs(c: Pick<InventoryConfig, StopSetting>): number {
  return c.SHUTDOWN_DELAY_MS + c.SHUTDOWN_GRACE_MS + c.PUBLISH_TIMEOUT_MS;
}
