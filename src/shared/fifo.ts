// The FIFO ids every message on either queue is sent with.

/**
 * FIFO queues, both of them: the SKU is the message group (order per SKU),
 * SKU and version the deduplication id (a resend of one version within
 * SQS's 5-minute window is stored once).
 */
export function fifoIds(sku: string, version: number): { groupId: string; dedupId: string } {
  return { groupId: sku, dedupId: `${sku}:${version}` };
}
