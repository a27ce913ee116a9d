// The pricing service's Prometheus metrics.

import { Counter, Gauge, Histogram, Registry } from "../shared/metrics.ts";

export interface PricingMetrics {
  registry: Registry;
  received: Counter;
  priced: Counter;
  stale: Counter;
  duplicate: Counter;
  unknown: Counter;
  poison: Counter;
  failed: Counter;
  inFlight: Gauge;
  age: Histogram;
  sqsCalls: Counter;
  restarted: Gauge;
}

/** restarted: 1 while the container is within 10 minutes of a restart (src/shared/restarts.ts); 0 when not given. */
export function createPricingMetrics(restarted: () => number = () => 0): PricingMetrics {
  const registry = new Registry();
  return {
    registry,
    received: registry.counter("pricing_messages_received_total", "Messages received from the inventory queue."),
    priced: registry.counter("pricing_priced_total", "Price decisions made and emitted, by result (changed, unchanged)."),
    stale: registry.counter("pricing_stale_total", "Updates older than the newest version seen for their SKU, skipped."),
    duplicate: registry.counter("pricing_duplicate_total", "Redeliveries of a version already priced, acknowledged."),
    unknown: registry.counter("pricing_unknown_sku_total", "Updates for SKUs the policy has no price for, acknowledged."),
    poison: registry.counter("pricing_poison_total", "Messages that are not valid inventory updates, left for the DLQ.", [{}]),
    failed: registry.counter("pricing_failed_total", "Messages returned for a retry (e.g. the decision could not be sent).", [{}]),
    inFlight: registry.gauge("pricing_in_flight", "Messages in work."),
    age: registry.histogram("pricing_message_age_seconds", "Time from SQS accepting an update to pricing starting on it.", [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]),
    sqsCalls: registry.counter("pricing_sqs_calls_total", "SQS API calls by action and outcome."),
    restarted: registry.gauge("pricing_container_restarted", "1 within 10 minutes of a restart of this container in its pod (an OOM kill or a crash), else 0.", restarted),
  };
}
