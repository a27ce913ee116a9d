// Every environment variable the pricing service reads, in one table.

import { int, oneOf, parseEnv, str, url, type Env, type Parsed } from "../shared/config.ts";
import { LEVELS } from "../shared/log.ts";
import { K8S, QUEUE_NAMES } from "../shared/names.ts";
import { QUEUE_NAME_PATTERN, REGION_PATTERN } from "../inventory/config.ts";

export const PRICING_ENV = {
  PORT: int({ default: K8S.pricing.port, min: 0, max: 65535, description: "Port for /healthz, /readyz and /metrics (0 picks a free port)." }),
  HOST: str({ optional: true, allowed: "an IP address or host name", description: "Address to bind; all interfaces when unset." }),
  QUEUE_URL: url({ optional: true, description: "URL of the inventory update queue; when unset the URL is looked up from QUEUE_NAME." }),
  QUEUE_NAME: str({ default: QUEUE_NAMES.inventory, pattern: QUEUE_NAME_PATTERN, allowed: "1-80 characters A-Z a-z 0-9 _ -, optional .fifo", description: "Queue name resolved with sqs:GetQueueUrl when QUEUE_URL is unset." }),
  PRICE_QUEUE_URL: url({ optional: true, description: "Where price.decided messages go. With neither this nor PRICE_QUEUE_NAME, decisions are only logged." }),
  PRICE_QUEUE_NAME: str({ optional: true, pattern: QUEUE_NAME_PATTERN, allowed: "1-80 characters A-Z a-z 0-9 _ -, optional .fifo", description: "Price queue name resolved with sqs:GetQueueUrl when PRICE_QUEUE_URL is unset." }),
  AWS_REGION: str({ required: true, pattern: REGION_PATTERN, allowed: "an AWS region such as eu-west-1", description: "Region of the queues (set by EKS for IRSA pods)." }),
  AWS_ENDPOINT_URL_SQS: url({ optional: true, description: "SQS endpoint override (local emulator, VPC endpoint). Queue URLs then never choose the host." }),
  POLICY_FILE: str({ default: "/etc/pricing/policy.yaml", allowed: "a file path", description: "The YAML pricing policy (a ConfigMap in Kubernetes)." }),
  POLICY_RELOAD_MS: int({ default: 5000, min: 0, max: 3_600_000, description: "How often the policy file is checked for changes; 0 turns reloading off." }),
  POLLERS: int({ default: 2, min: 1, max: 20, description: "Concurrent ReceiveMessage long polls." }),
  CONCURRENCY: int({ default: 20, min: 1, max: 1000, description: "Messages in work at once; a poller asks only for free slots, so memory is bounded." }),
  VISIBILITY_TIMEOUT_S: int({ default: 30, min: 5, max: 43_200, description: "The queue's visibility timeout; messages in work are extended at half of it." }),
  MAX_TRACKED_SKUS: int({ default: 100_000, min: 100, max: 10_000_000, description: "SKUs whose newest version and price are remembered (least recently used are forgotten)." }),
  SHUTDOWN_GRACE_MS: int({ default: 20_000, min: 0, max: 600_000, description: "After SIGTERM, time to finish messages in work; the rest are released (visibility 0)." }),
  LOG_LEVEL: oneOf({ values: LEVELS, default: "info", description: "Least severe level logged." }),
};

export type PricingConfig = Parsed<typeof PRICING_ENV>;

export function loadPricingConfig(env: Env): PricingConfig {
  return parseEnv(PRICING_ENV, env);
}
