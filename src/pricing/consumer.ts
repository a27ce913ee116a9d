// The SQS consumer: several long-polling receivers feeding a bounded pool of
// message handlers, a visibility heartbeat for long work, batched deletes
// (deletes.ts), backoff through visibility for retries, and a drain on stop
// that releases what did not finish (visibility 0) so another consumer gets
// it at once.
//
// A stop never aborts a receive that may already hold messages: SQS hides
// what it hands to a ReceiveMessage call even when the caller drops the
// answer, and those messages would stay invisible for the whole visibility
// timeout. Receives in flight end by themselves (a long poll returns at
// once when messages are there, and within its wait time otherwise); what
// they bring during a stop is released with visibility 0 at once.

import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { systemClock, type Clock, type TimerHandle } from "../shared/clock.ts";
import { MAX_BATCH_ENTRIES, MAX_RECEIVE_MESSAGES, MAX_VISIBILITY_TIMEOUT_S, MAX_WAIT_TIME_S } from "../shared/limits.ts";
import type { Logger } from "../shared/log.ts";
import { requireInt, withDefaults } from "../shared/options.ts";
import { retry } from "../shared/retry.ts";
import type { SqsPort } from "../shared/sqs.ts";
import { DeleteBatcher } from "./deletes.ts";

/** What a handler decides: delete, retry after a backoff, or leave for the DLQ. */
export type Outcome = "ack" | "retry" | "poison";

export interface ConsumerOptions {
  sqs: SqsPort;
  queueUrl: string;
  pollers: number;
  concurrency: number;
  visibilityTimeoutS: number;
  handle: (message: Message) => Promise<Outcome>;
  log: Logger;
  /** Long-poll wait (0-20 s); 20 s in production. */
  waitTimeS?: number;
  /** How long finished messages wait to share a DeleteMessageBatch. */
  deleteLingerMs?: number;
  /** Retry backoff (seconds of invisibility) is min(cap, base x 2^(receives-1)). */
  retryBaseS?: number;
  retryCapS?: number;
  onInFlight?: (n: number) => void;
  /** Time and timers (heartbeat, delete linger, stop deadline, backoff); the system's by default. */
  clock?: Clock;
}

/** How long past its wait time a receive may take to answer during a stop before it is aborted. */
const RECEIVE_MARGIN_MS = 2000;

const DEFAULTS = { waitTimeS: 20, deleteLingerMs: 5, retryBaseS: 2, retryCapS: 300, clock: systemClock };

/**
 * Seconds of invisibility before a retried message comes back: min(cap, base x 2^(receives-1)), an integer.
 * Not retry(): SQS holds the message between attempts and counts them, so the
 * backoff is a visibility timeout set once per receive, without jitter.
 */
export function retryDelayS(receives: number, baseS: number, capS: number): number {
  const n = Number.isSafeInteger(receives) && receives > 0 ? receives : 1;
  return Math.min(capS, MAX_VISIBILITY_TIMEOUT_S, baseS * 2 ** Math.min(n - 1, 30));
}

interface Work {
  message: Message;
  done: boolean;
  /** Extends the message's visibility from its receive until its outcome, also while it waits behind its FIFO group. */
  heartbeat: TimerHandle;
}

/** A FIFO message after an earlier one of its group that did not finish: given back, not worked on. */
type Ran = Outcome | "released";

export class Consumer {
  readonly #o: Required<Omit<ConsumerOptions, "onInFlight">> & Pick<ConsumerOptions, "onInFlight">;
  /** Aborted when stop() starts: no new receive, no backoff sleep. */
  readonly #stopping = new AbortController();
  /** Aborted only for receives that outlive their own wait on stop (a hung connection). */
  readonly #receiveAbort = new AbortController();
  /** Messages that receives brought after stop() started: released, not worked on. */
  #stranded: Message[] = [];
  /** By work, not by MessageId: a standard queue may hand out a second copy while the first is in work. */
  readonly #inWork = new Set<Work>();
  /** Slots reserved by receives in flight, so receives never overshoot concurrency. */
  #reserved = 0;
  #slotWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  #pollers: Promise<void>[] = [];
  /** FIFO: the tail of each message group's chain in this process, with the outcome of its last message. */
  #groups = new Map<string, Promise<Ran>>();
  readonly #deletes: DeleteBatcher;
  #pendingCalls = new Set<Promise<unknown>>();

  constructor(options: ConsumerOptions) {
    const o = withDefaults(DEFAULTS, options);
    requireInt("pollers", o.pollers, 1, 100);
    requireInt("concurrency", o.concurrency, 1, 100_000);
    requireInt("visibilityTimeoutS", o.visibilityTimeoutS, 1, MAX_VISIBILITY_TIMEOUT_S);
    requireInt("waitTimeS", o.waitTimeS, 0, MAX_WAIT_TIME_S);
    requireInt("deleteLingerMs", o.deleteLingerMs, 0, 60_000);
    requireInt("retryBaseS", o.retryBaseS, 0, MAX_VISIBILITY_TIMEOUT_S);
    requireInt("retryCapS", o.retryCapS, 0, MAX_VISIBILITY_TIMEOUT_S);
    this.#o = o;
    this.#deletes = new DeleteBatcher({ sqs: o.sqs, queueUrl: o.queueUrl, lingerMs: o.deleteLingerMs, clock: o.clock, log: o.log });
  }

  get inFlight(): number {
    return this.#inWork.size;
  }

  start(): void {
    for (let i = 0; i < this.#o.pollers; i++) this.#pollers.push(this.#poll(i));
  }

  /**
   * Stops starting receives at once; lets the receives in flight answer (at
   * most their wait time plus a margin, within `graceMs`) and releases what
   * they bring; waits up to `graceMs` in all for the work in hand, deletes
   * what finished, and releases the rest with visibility 0. Returns how many
   * messages were released.
   */
  async stop(graceMs: number): Promise<number> {
    const clock = this.#o.clock;
    const deadline = clock.now() + graceMs;
    this.#stopping.abort();
    for (const w of this.#slotWaiters.splice(0)) w();
    const receiveBound = Math.min(graceMs, this.#o.waitTimeS * 1000 + RECEIVE_MARGIN_MS);
    const lateReceives = clock.setTimeout(() => this.#receiveAbort.abort(), receiveBound);
    await Promise.all(this.#pollers);
    clock.clearTimeout(lateReceives);
    if (this.#inWork.size > 0) {
      let timer: TimerHandle | undefined;
      await Promise.race([
        new Promise<void>((r) => this.#idleWaiters.push(r)),
        new Promise<void>((r) => (timer = clock.setTimeout(r, Math.max(0, deadline - clock.now())))),
      ]);
      clock.clearTimeout(timer);
    }
    await this.#deletes.flush();
    const left = [...this.#inWork].filter((w) => !w.done);
    for (const w of left) {
      this.#o.clock.clearInterval(w.heartbeat);
      w.done = true;
    }
    const unfinished = left.map((w) => w.message);
    unfinished.push(...this.#stranded.splice(0));
    for (let i = 0; i < unfinished.length; i += MAX_BATCH_ENTRIES) {
      const chunk = unfinished.slice(i, i + MAX_BATCH_ENTRIES);
      try {
        await this.#o.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.#o.queueUrl,
            Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
          }),
        );
      } catch (err) {
        this.#o.log.warn("sqs.release_failed", { count: chunk.length, err });
      }
    }
    await Promise.allSettled([...this.#pendingCalls]);
    return unfinished.length;
  }

  async #poll(index: number): Promise<void> {
    const { sqs, queueUrl, log } = this.#o;
    const signal = this.#stopping.signal;
    const receive = async (): Promise<Message[] | undefined> => {
      const free = await this.#reserve();
      try {
        if (signal.aborted || free === 0) return undefined;
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: free,
            WaitTimeSeconds: this.#o.waitTimeS,
            MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp", "MessageGroupId"],
          }),
          { abortSignal: this.#receiveAbort.signal },
        );
        return out.Messages ?? [];
      } finally {
        // Slots are held only while a receive is in flight, never over a backoff.
        this.#reserved -= free;
      }
    };
    while (!signal.aborted) {
      const messages = await retry(receive, {
        attempts: Infinity,
        base: 200,
        cap: 20_000,
        floor: 100,
        clock: this.#o.clock,
        signal,
        onRetry: (err, delay) => log.warn("sqs.receive_failed", { poller: index, err, retryInMs: delay }),
      }).catch(() => undefined);
      if (messages === undefined) break;
      if (signal.aborted) this.#stranded.push(...messages);
      else for (const m of messages) this.#start(m);
    }
  }

  /** Waits for at least one free slot; reserves up to MAX_RECEIVE_MESSAGES and returns how many. */
  async #reserve(): Promise<number> {
    for (;;) {
      if (this.#stopping.signal.aborted) return 0;
      const free = this.#o.concurrency - this.#inWork.size - this.#reserved;
      if (free > 0) {
        const n = Math.min(MAX_RECEIVE_MESSAGES, free);
        this.#reserved += n;
        return n;
      }
      await new Promise<void>((r) => this.#slotWaiters.push(r));
    }
  }

  #start(message: Message): void {
    const work: Work = { message, done: false, heartbeat: this.#heartbeat(message) };
    this.#inWork.add(work);
    this.#o.onInFlight?.(this.#inWork.size);
    // FIFO: a message runs after the earlier ones of its group, and only if
    // they were acknowledged. One that was not comes back after its backoff
    // and SQS hands out nothing of its group meanwhile, so the later ones are
    // given back at once, to be received after it, in order.
    const group = message.Attributes?.MessageGroupId;
    const previous = group ? this.#groups.get(group) : undefined;
    const run: Promise<Ran> = (previous ?? Promise.resolve<Ran>("ack")).then((before) => {
      if (work.done) return "released"; // given back by stop() while it waited
      return before === "ack" ? this.#process(work) : this.#release(work);
    });
    if (group) {
      const tail = run.finally(() => {
        if (this.#groups.get(group) === tail) this.#groups.delete(group);
      });
      this.#groups.set(group, tail);
    }
    run.finally(() => {
      this.#inWork.delete(work);
      this.#o.onInFlight?.(this.#inWork.size);
      this.#slotWaiters.shift()?.();
      if (this.#inWork.size === 0) for (const w of this.#idleWaiters.splice(0)) w();
    });
  }

  #heartbeat(message: Message): TimerHandle {
    return this.#o.clock.setInterval(() => {
      this.#call(
        new ChangeMessageVisibilityCommand({ QueueUrl: this.#o.queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: this.#o.visibilityTimeoutS }),
        "sqs.heartbeat_failed",
      );
    }, (this.#o.visibilityTimeoutS * 1000) / 2);
  }

  async #release(work: Work): Promise<Ran> {
    this.#o.clock.clearInterval(work.heartbeat);
    await this.#call(new ChangeMessageVisibilityCommand({ QueueUrl: this.#o.queueUrl, ReceiptHandle: work.message.ReceiptHandle, VisibilityTimeout: 0 }), "sqs.release_failed");
    work.done = true;
    return "released";
  }

  async #process(work: Work): Promise<Ran> {
    const { message } = work;
    let outcome: Outcome;
    try {
      outcome = await this.#o.handle(message);
    } catch (err) {
      this.#o.log.error("message.failed", { messageId: message.MessageId, err });
      outcome = "retry";
    } finally {
      this.#o.clock.clearInterval(work.heartbeat);
    }
    if (outcome === "ack") {
      await this.#deletes.delete(message.ReceiptHandle!);
    } else {
      // Retry (and poison, until the redrive policy moves it) after a backoff
      // that grows with the receive count, instead of the full visibility timeout.
      const receives = Number(message.Attributes?.ApproximateReceiveCount ?? "1");
      const delayS = retryDelayS(receives, this.#o.retryBaseS, this.#o.retryCapS);
      await this.#call(
        new ChangeMessageVisibilityCommand({ QueueUrl: this.#o.queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: delayS }),
        "sqs.backoff_failed",
      );
    }
    work.done = true;
    return outcome;
  }

  #call(command: ChangeMessageVisibilityCommand, failure: string): Promise<unknown> {
    const p = this.#o.sqs.send(command).catch((err: unknown) => this.#o.log.warn(failure, { err }));
    this.#pendingCalls.add(p);
    p.finally(() => this.#pendingCalls.delete(p));
    return p;
  }
}
