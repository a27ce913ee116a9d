// How queued events are packed: into messages up to the byte and event limits,
// and messages into one SendMessageBatch of at most 10 within the batch
// payload limit. Pure functions over the publisher's queue, so the rules are
// readable (and testable) apart from its timers and retries.

import { BATCH_ATTRIBUTES } from "./events.ts";
import { BILLING_CHUNK_BYTES, MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, messageBytes } from "./limits.ts";

export interface PackingOptions {
  /** Largest message, body plus attributes (64 KiB: one billing chunk). */
  maxMessageBytes: number;
  maxEventsPerMessage: number;
  /** Largest SendMessageBatch payload. */
  maxBatchBytes: number;
}

export const DEFAULT_PACKING: PackingOptions = { maxMessageBytes: BILLING_CHUNK_BYTES, maxEventsPerMessage: 1000, maxBatchBytes: MAX_BATCH_BYTES };

/** Bytes a message's frame adds to its events: brackets, commas, the content-type attribute. */
export const FRAME_BYTES = messageBytes("[]", BATCH_ATTRIBUTES);

/** A queued event as the packer sees it: its size, and its FIFO group if any. */
interface Packable {
  bytes: number;
  entry: { groupId?: string };
}

/** A planned message: how many entries from the queue head, and its size. */
export interface Planned {
  count: number;
  bytes: number;
  /** Closed by the packing limits: sending it now cannot pack it better. */
  full: boolean;
  /** The next message would not fit in the batch payload: the batch is full. */
  closesBatch?: boolean;
}

/** Packs the queue head into at most 10 messages within the batch payload limit. */
export function planBatch(queue: readonly Packable[], p: PackingOptions): Planned[] {
  const plan: Planned[] = [];
  let batchBytes = 0;
  let i = 0;
  while (i < queue.length && plan.length < MAX_BATCH_ENTRIES) {
    const start = i;
    const first = queue[i++];
    const single = first.entry.groupId !== undefined;
    const m: Planned = { count: 1, bytes: FRAME_BYTES + first.bytes, full: false };
    // A FIFO entry travels alone; it never counts as a full message.
    while (!single && i < queue.length) {
      const next = queue[i];
      if (next.entry.groupId !== undefined) break;
      if (m.count >= p.maxEventsPerMessage || m.bytes + 1 + next.bytes > p.maxMessageBytes) break;
      m.bytes += 1 + next.bytes;
      m.count++;
      i++;
    }
    if (!single) {
      const next = queue[i];
      m.full = m.count >= p.maxEventsPerMessage || (next !== undefined && next.entry.groupId === undefined && m.bytes + 1 + next.bytes > p.maxMessageBytes);
    }
    if (plan.length > 0 && batchBytes + m.bytes > p.maxBatchBytes) {
      i = start;
      plan[plan.length - 1].closesBatch = true;
      break;
    }
    batchBytes += m.bytes;
    plan.push(m);
  }
  return plan;
}

/**
 * Before the linger is up, a call leaves early only when it is a full batch,
 * or its leading full messages hold at least ten events: then waiting cannot
 * make the call much cheaper per event. Unpacked (one event per message) this
 * is the micro-batching of ten messages per call it always was.
 */
export function readyEarly(plan: Planned[]): Planned[] {
  if (plan.length === MAX_BATCH_ENTRIES || plan.at(-1)?.closesBatch) return plan;
  const full: Planned[] = [];
  let events = 0;
  for (const m of plan) {
    if (!m.full) break;
    full.push(m);
    events += m.count;
  }
  return events >= MAX_BATCH_ENTRIES ? full : [];
}
