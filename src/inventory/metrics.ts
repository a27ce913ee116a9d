// The inventory service's Prometheus metrics.

import { Counter, Histogram, LATENCY_BUCKETS, Registry } from "../shared/metrics.ts";

export interface InventoryMetrics {
  registry: Registry;
  requests: Counter;
  accepted: Counter;
  sqsCalls: Counter;
  batchSize: Histogram;
  publishLatency: Histogram;
}

export function createInventoryMetrics(pending: () => number): InventoryMetrics {
  const registry = new Registry();
  registry.gauge("inventory_pending_updates", "Updates waiting to be stored in SQS.", pending);
  return {
    registry,
    requests: registry.counter("inventory_http_requests_total", "HTTP requests by method, route and status."),
    accepted: registry.counter("inventory_updates_accepted_total", "Updates stored in SQS and acknowledged with 202."),
    sqsCalls: registry.counter("inventory_sqs_calls_total", "SQS API calls by action and outcome.", [{ action: "SendMessageBatch", outcome: "error" }]),
    batchSize: registry.histogram("inventory_batch_size", "Updates per SendMessageBatch call (packed into up to 10 messages).", [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]),
    publishLatency: registry.histogram("inventory_publish_latency_seconds", "From request to SQS storing the update.", LATENCY_BUCKETS),
  };
}
