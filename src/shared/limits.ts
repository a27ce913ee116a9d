// Every SQS limit the code packs and batches against, in one place.
// Figures from the SQS developer guide (quotas for messages and batches);
// fauxqs 2.4 enforces the same 10 entries and 1 MiB per batch, counting the
// body plus each message attribute's name, data type and value.

/** Entries per SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch. */
export const MAX_BATCH_ENTRIES = 10;
/** Messages per ReceiveMessage call. */
export const MAX_RECEIVE_MESSAGES = 10;
/** Largest message (body plus attributes) SQS accepts: 1 MiB since August 2025. */
export const MAX_MESSAGE_BYTES = 1_048_576;
/** Largest SendMessageBatch payload (the sum of its messages): 1 MiB. */
export const MAX_BATCH_BYTES = 1_048_576;
/** Longest ReceiveMessage long poll, seconds. */
export const MAX_WAIT_TIME_S = 20;
/** A visibility timeout is an integer 0-43200 seconds (12 hours). */
export const MAX_VISIBILITY_TIMEOUT_S = 43_200;
/** SQS bills every 64 KiB chunk of a request's payload as one request. */
export const BILLING_CHUNK_BYTES = 65_536;

/** Billed requests for one API call carrying `payloadBytes` of messages. */
export function billedRequests(payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / BILLING_CHUNK_BYTES));
}

/** What SQS counts towards a message's size: the body and every attribute's name, type and value. */
export function messageBytes(body: string, attributes?: Record<string, { DataType?: string; StringValue?: string }>): number {
  let n = Buffer.byteLength(body);
  for (const [name, a] of Object.entries(attributes ?? {})) {
    n += Buffer.byteLength(name) + Buffer.byteLength(a.DataType ?? "") + Buffer.byteLength(a.StringValue ?? "");
  }
  return n;
}
