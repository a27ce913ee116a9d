// Names every part of the system agrees on: the services, the local stack,
// the Terraform modules and the Kubernetes manifests. Tests compare the other
// places against this file, so change a name here and the checks say where else.

export const QUEUE_NAMES = {
  /** Stock-level updates from inventory to pricing. */
  inventory: "inventory-update-queue",
  /** Where SQS moves an update after maxReceiveCount failed receives. */
  inventoryDlq: "inventory-update-dlq",
  /** Price decisions from pricing to whoever consumes them downstream. */
  price: "price-change-queue",
} as const;

/**
 * Default redrive maxReceiveCount (Terraform `queue` module default too).
 * Pricing gives a message it cannot finish back after a backoff of 2, 4, 8
 * ... s capped at 300 (consumer.ts), and every receive counts: 10 receives
 * span about 13.5 minutes (2 + 4 + ... + 256 + 300 s), so a downstream
 * failure shorter than that (the price queue or its key throttled, a role
 * change settling) sends no healthy update to the DLQ; with 5 it was about
 * a minute. A poison message takes as long to arrive in the DLQ; the
 * pricing-poison alarm fires at its first receive.
 */
export const DEFAULT_MAX_RECEIVE_COUNT = 10;

export const K8S = {
  namespace: "stockprice",
  partOf: "stockprice",
  inventory: { name: "inventory", serviceAccount: "inventory", port: 8080 },
  pricing: { name: "pricing", serviceAccount: "pricing", port: 9090 },
} as const;
