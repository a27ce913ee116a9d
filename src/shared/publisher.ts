// Micro-batching, packing publisher. Events from concurrent requests are
// packed into SQS messages (a CloudEvents JSON batch per message, up to
// `maxMessageBytes` or `maxEventsPerMessage`), and up to 10 messages share one
// SendMessageBatch within `maxBatchBytes`. A call leaves as soon as its first
// message is full, or when the oldest event has waited `lingerMs`.
// Each submitted entry settles exactly once: stored (SQS listed the message
// holding it as Successful) or failed after bounded retries; a failed message
// fails, or retries, every entry it holds. Memory is bounded by `maxPending`
// entries in the publisher at once; beyond it submit() refuses.
//
// FIFO: an entry with a group id is never packed with another, so per-SKU
// order and deduplication stay exactly as SQS FIFO gives them.

import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import { AppError, OptionError } from "./errors.ts";
import { BATCH_ATTRIBUTES, batchBody } from "./events.ts";
import { MAX_BATCH_ENTRIES, messageBytes } from "./limits.ts";
import { DEFAULT_PACKING, FRAME_BYTES, planBatch, readyEarly, type PackingOptions, type Planned } from "./packer.ts";
import { withDefaults } from "./options.ts";
import { backoffMs } from "./retry.ts";
import { isTransient, type SqsPort } from "./sqs.ts";
import { systemClock } from "./clock.ts";

export interface PublishEntry {
  /** One serialised structured-mode CloudEvent. */
  body: string;
  /** FIFO only: MessageGroupId (the SKU). The entry then travels alone. */
  groupId?: string;
  /** FIFO only: MessageDeduplicationId (SKU and version). */
  dedupId?: string;
}

type PublishResult = { ok: true } | { ok: false; code: string; message: string };

export interface PublisherOptions {
  sqs: SqsPort;
  lingerMs: number;
  maxPending: number;
  maxInFlight: number;
  /** Attempts per entry, counting the first. */
  maxAttempts: number;
  callTimeoutMs: number;
  packing?: PackingOptions;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  now?: () => number;
  random?: () => number;
  /** One completed SendMessageBatch call: messages sent, messages stored, events in them, payload bytes. */
  onBatch?: (messages: number, stored: number, events: number, bytes: number) => void;
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

type Settings = Required<Omit<PublisherOptions, "onBatch" | "onStored">> & Pick<PublisherOptions, "onBatch" | "onStored">;

export class Publisher {
  readonly #o: Settings;
  #queueUrl: string | undefined;
  #queue: Pending[] = [];
  /** Sum of the queued entries' bytes: a cheap test for "the head message may be full". */
  #queuedBytes = 0;
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
    const defaults = { packing: DEFAULT_PACKING, backoffBaseMs: 50, backoffCapMs: 1000, now: systemClock.now, random: Math.random };
    this.#o = withDefaults(defaults, options);
    const p = this.#o.packing;
    if (!(p.maxEventsPerMessage >= 1 && p.maxMessageBytes > FRAME_BYTES && p.maxMessageBytes <= p.maxBatchBytes)) {
      throw new OptionError(`packing limits must satisfy 1 <= events per message and ${FRAME_BYTES} < message bytes <= batch bytes`);
    }
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
    // One promise per call, not per entry: each entry fills its slot, the last one settles it.
    const results = new Array<PublishResult>(entries.length);
    let left = entries.length;
    const all = new Promise<PublishResult[]>((resolveAll) => {
      entries.forEach((entry, i) => {
        const bytes = entryBytes(entry);
        this.#queuedBytes += bytes;
        const resolve = (r: PublishResult) => {
          results[i] = r;
          if (--left === 0) resolveAll(results);
        };
        this.#queue.push({ entry, bytes, submittedAt: now, attempts: 0, resolve });
      });
    });
    this.#schedule();
    return entries.length === 0 ? Promise.resolve([]) : all;
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
      this.#queuedBytes = 0;
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
      // lingerMs 0 is group commit: no timer; a call leaves when none is in flight, and what
      // arrives meanwhile rides the next one (or leaves early as a full batch).
      const waited = this.#draining || (o.lingerMs === 0 ? this.#inFlight === 0 : o.now() - this.#queue[0].submittedAt >= o.lingerMs);
      if (!waited && !this.#mayBeFull()) break;
      const plan = planBatch(this.#queue, this.#o.packing);
      const leaving = waited ? plan : readyEarly(plan);
      if (leaving.length === 0) break;
      this.#send(leaving);
    }
    if (this.#queue.length > 0 && this.#inFlight < o.maxInFlight && this.#timer === undefined && o.lingerMs > 0) {
      const wait = Math.max(0, o.lingerMs - (o.now() - this.#queue[0].submittedAt));
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, wait);
    }
  }

  /** False when the queue cannot fill even one message or ten events: no need to plan. */
  #mayBeFull(): boolean {
    return this.#queue.length >= MAX_BATCH_ENTRIES || this.#queuedBytes + FRAME_BYTES + this.#queue.length > this.#o.packing.maxMessageBytes;
  }

  #send(plan: Planned[]): void {
    this.#inFlight++;
    const messages = plan.map((m) => {
      const group = this.#queue.splice(0, m.count);
      for (const p of group) this.#queuedBytes -= p.bytes;
      return group;
    });
    let bytes = 0;
    let events = 0;
    const entries: SendMessageBatchRequestEntry[] = messages.map((group, i) => {
      for (const p of group) p.attempts++;
      events += group.length;
      const first = group[0].entry;
      const e: SendMessageBatchRequestEntry = { Id: String(i), MessageBody: batchBody(group.map((p) => p.entry.body)), MessageAttributes: BATCH_ATTRIBUTES };
      if (first.groupId !== undefined) e.MessageGroupId = first.groupId;
      if (first.dedupId !== undefined) e.MessageDeduplicationId = first.dedupId;
      bytes += messageBytes(e.MessageBody!, BATCH_ATTRIBUTES);
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
          messages.forEach((group, i) => {
            const id = String(i);
            if (stored.has(id)) {
              for (const p of group) {
                this.#o.onStored?.(now - p.submittedAt);
                this.#settle(p, { ok: true });
              }
              return;
            }
            const f = failed.get(id);
            if (f?.SenderFault) {
              // The request itself is wrong for SQS; sending it again cannot help.
              for (const p of group) this.#settle(p, { ok: false, code: "publish_rejected", message: `SQS rejected the message (${f.Code ?? "unknown"})` });
            } else {
              for (const p of group) p.lastError = f?.Code ?? "missing from SQS answer";
              again.push(...group);
            }
          });
          this.#retry(again);
          this.#o.onBatch?.(messages.length, stored.size, events, bytes);
        },
        (err: unknown) => {
          const name = (err as Error)?.name ?? "Error";
          const all = messages.flat();
          if (!isTransient(err)) {
            // Refused for what it is (access denied, no such queue): sending it again cannot help.
            for (const p of all) this.#settle(p, { ok: false, code: "publish_rejected", message: `SQS refused the call (${name})` });
          } else {
            for (const p of all) p.lastError = name;
            this.#retry(all);
          }
          this.#o.onBatch?.(messages.length, 0, events, bytes);
        },
      )
      .finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
  }

  /**
   * Retries a failed group together after one backoff, so it shares a batch
   * again. Not retry(): the entries of one call are re-queued, not the call,
   * so that they can be packed with what arrived meanwhile.
   */
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
      for (const p of again) this.#queuedBytes += p.bytes;
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
  // The event, plus FIFO fields so a batch of singles stays inside the payload limit.
  return Buffer.byteLength(e.body) + (e.groupId?.length ?? 0) + (e.dedupId?.length ?? 0);
}
