// Micro-batching publisher. Updates from concurrent requests share
// SendMessageBatch calls: a batch goes out as soon as it holds 10 entries (or
// reaches the size limit), or when the oldest entry has waited `lingerMs`.
// Each submitted entry settles exactly once: stored (SQS listed it as
// Successful) or failed after bounded retries. Memory is bounded by
// `maxPending` entries in the publisher at once; beyond it submit() refuses.

import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import { AppError } from "./errors.ts";
import { withDefaults } from "./options.ts";
import { backoffMs, type SqsPort } from "./sqs.ts";

/** SQS allows at most 10 entries per batch. */
export const MAX_BATCH_ENTRIES = 10;
/**
 * Payload limit per batch. SQS now takes 1 MiB, but a standard queue billed per
 * 64 KiB chunk and emulators that still enforce 256 KiB argue for the lower
 * figure; a stock update message is well under 1 KiB, so ten always fit.
 */
export const MAX_BATCH_BYTES = 256 * 1024;

export interface PublishEntry {
  body: string;
  /** FIFO only: MessageGroupId (the SKU). */
  groupId?: string;
  /** FIFO only: MessageDeduplicationId (SKU and version). */
  dedupId?: string;
}

export type PublishResult = { ok: true } | { ok: false; code: string; message: string };

export interface PublisherOptions {
  sqs: SqsPort;
  lingerMs: number;
  maxPending: number;
  maxInFlight: number;
  /** Attempts per entry, counting the first. */
  maxAttempts: number;
  callTimeoutMs: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  now?: () => number;
  random?: () => number;
  /** One completed SendMessageBatch call: entries sent, entries stored. */
  onBatch?: (size: number, stored: number) => void;
  /** An entry stored, with ms from submit to SQS acknowledging it. */
  onStored?: (latencyMs: number) => void;
}

interface Pending {
  entry: PublishEntry;
  bytes: number;
  submittedAt: number;
  attempts: number;
  lastError?: string;
  resolve: (r: PublishResult) => void;
}

export class Publisher {
  readonly #o: Required<Omit<PublisherOptions, "onBatch" | "onStored">> & Pick<PublisherOptions, "onBatch" | "onStored">;
  #queueUrl: string | undefined;
  #queue: Pending[] = [];
  #pending = 0;
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Entries waiting out a backoff, by the timer that re-queues them. */
  #retrying = new Map<NodeJS.Timeout, Pending[]>();
  #draining = false;
  /** Set when drain gave up: nothing is retried any more. */
  #closed = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: PublisherOptions) {
    this.#o = withDefaults({ backoffBaseMs: 50, backoffCapMs: 1000, now: Date.now, random: Math.random }, options);
  }

  /** Entries submitted and not yet settled. */
  get pending(): number {
    return this.#pending;
  }

  get ready(): boolean {
    return this.#queueUrl !== undefined && !this.#draining;
  }

  /** Sets the queue once it is resolved; submit() refuses until then. */
  start(queueUrl: string): void {
    this.#queueUrl = queueUrl;
  }

  /**
   * Queues entries and resolves with one result per entry, in order, once
   * every entry is settled. Throws at once (nothing queued) when the publisher
   * is not started, draining, or has no room for all of them.
   */
  submit(entries: readonly PublishEntry[]): Promise<PublishResult[]> {
    if (!this.#queueUrl) throw new AppError("not_ready", "the queue is not resolved yet");
    if (this.#draining) throw new AppError("shutting_down", "the service is shutting down");
    if (this.#pending + entries.length > this.#o.maxPending) {
      throw new AppError("overloaded", `too many updates waiting to be stored (limit ${this.#o.maxPending})`);
    }
    const now = this.#o.now();
    this.#pending += entries.length;
    const promises = entries.map(
      (entry) =>
        new Promise<PublishResult>((resolve) => {
          this.#queue.push({ entry, bytes: entryBytes(entry), submittedAt: now, attempts: 0, resolve });
        }),
    );
    this.#schedule();
    return Promise.all(promises);
  }

  /**
   * Sends everything queued without lingering and waits until nothing is
   * pending or `timeoutMs` passes. Whatever is still unsent then is failed
   * (its request answers 503, so the sender retries). True when all settled.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#draining = true;
    this.#schedule();
    if (this.#pending === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      new Promise<true>((resolve) => this.#idleWaiters.push(() => resolve(true))),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!settled) {
      this.#closed = true;
      const left = this.#queue.splice(0);
      for (const [timer, group] of this.#retrying) {
        clearTimeout(timer);
        left.push(...group);
      }
      this.#retrying.clear();
      for (const p of left) this.#settle(p, { ok: false, code: "shutting_down", message: "not stored before shutdown" });
    }
    return settled;
  }

  #schedule(): void {
    const o = this.#o;
    while (this.#queue.length > 0 && this.#inFlight < o.maxInFlight) {
      const full = this.#queue.length >= MAX_BATCH_ENTRIES || this.#queuedBytesExceed();
      const waited = o.now() - this.#queue[0].submittedAt >= o.lingerMs;
      if (!full && !waited && !this.#draining) break;
      this.#send(this.#takeBatch());
    }
    if (this.#queue.length > 0 && this.#inFlight < o.maxInFlight && this.#timer === undefined) {
      const wait = Math.max(0, o.lingerMs - (o.now() - this.#queue[0].submittedAt));
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, wait);
    }
  }

  #queuedBytesExceed(): boolean {
    let bytes = 0;
    for (let i = 0; i < this.#queue.length && i < MAX_BATCH_ENTRIES; i++) {
      bytes += this.#queue[i].bytes;
      if (bytes > MAX_BATCH_BYTES) return true;
    }
    return false;
  }

  #takeBatch(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.#queue.length && n < MAX_BATCH_ENTRIES) {
      const next = bytes + this.#queue[n].bytes;
      if (n > 0 && next > MAX_BATCH_BYTES) break;
      bytes = next;
      n++;
    }
    return this.#queue.splice(0, n);
  }

  #send(batch: Pending[]): void {
    this.#inFlight++;
    const entries: SendMessageBatchRequestEntry[] = batch.map((p, i) => {
      p.attempts++;
      const e: SendMessageBatchRequestEntry = { Id: String(i), MessageBody: p.entry.body };
      if (p.entry.groupId !== undefined) e.MessageGroupId = p.entry.groupId;
      if (p.entry.dedupId !== undefined) e.MessageDeduplicationId = p.entry.dedupId;
      return e;
    });
    const command = new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: entries });
    this.#o.sqs
      .send(command, { abortSignal: AbortSignal.timeout(this.#o.callTimeoutMs) })
      .then(
        (out) => {
          const stored = new Set((out.Successful ?? []).map((s) => s.Id));
          const failed = new Map((out.Failed ?? []).map((f) => [f.Id, f]));
          const now = this.#o.now();
          const again: Pending[] = [];
          batch.forEach((p, i) => {
            const id = String(i);
            if (stored.has(id)) {
              this.#o.onStored?.(now - p.submittedAt);
              this.#settle(p, { ok: true });
              return;
            }
            const f = failed.get(id);
            if (f?.SenderFault) {
              // The request itself is wrong for SQS; sending it again cannot help.
              this.#settle(p, { ok: false, code: "publish_rejected", message: `SQS rejected the message (${f.Code ?? "unknown"})` });
            } else {
              p.lastError = f?.Code ?? "missing from SQS answer";
              again.push(p);
            }
          });
          this.#retry(again);
          this.#o.onBatch?.(batch.length, stored.size);
        },
        (err: unknown) => {
          const name = (err as Error)?.name ?? "Error";
          for (const p of batch) p.lastError = name;
          this.#retry(batch);
          this.#o.onBatch?.(batch.length, 0);
        },
      )
      .finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
  }

  /** Retries a failed group together after one backoff, so it shares a batch again. */
  #retry(group: Pending[]): void {
    const again: Pending[] = [];
    for (const p of group) {
      if (this.#closed || p.attempts >= this.#o.maxAttempts) {
        const code = this.#closed ? "shutting_down" : "publish_failed";
        this.#settle(p, { ok: false, code, message: `not stored after ${p.attempts} attempt(s) (${p.lastError})` });
      } else {
        again.push(p);
      }
    }
    if (again.length === 0) return;
    const attempts = Math.max(...again.map((p) => p.attempts));
    const delay = backoffMs(attempts, this.#o.backoffBaseMs, this.#o.backoffCapMs, this.#o.random);
    const timer = setTimeout(() => {
      this.#retrying.delete(timer);
      // Retried entries are the oldest; they go first, and out without lingering.
      this.#queue.unshift(...again);
      this.#schedule();
    }, delay);
    this.#retrying.set(timer, again);
  }

  #settle(p: Pending, result: PublishResult): void {
    this.#pending--;
    p.resolve(result);
    if (this.#pending === 0) {
      const waiters = this.#idleWaiters.splice(0);
      for (const w of waiters) w();
    }
  }
}

function entryBytes(e: PublishEntry): number {
  // Body plus FIFO fields: what SQS counts towards the batch payload.
  return Buffer.byteLength(e.body) + (e.groupId?.length ?? 0) + (e.dedupId?.length ?? 0);
}
