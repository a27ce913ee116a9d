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

/** Default redrive maxReceiveCount (Terraform `queue` module default too). */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

export const K8S = {
  namespace: "stockprice",
  partOf: "stockprice",
  inventory: { name: "inventory", serviceAccount: "inventory", port: 8080 },
  pricing: { name: "pricing", serviceAccount: "pricing", port: 9090 },
} as const;
