// Batched deletes for the consumer: a finished message's receipt waits up to
// a short linger for others, then up to 10 leave in one DeleteMessageBatch,
// retried on transient errors. A delete that still fails is only logged: the
// message comes back after its visibility timeout and is priced again,
// which is idempotent.

import { DeleteMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { Clock, TimerHandle } from "../shared/clock.ts";
import { MAX_BATCH_ENTRIES } from "../shared/limits.ts";
import type { Logger } from "../shared/log.ts";
import { retry } from "../shared/retry.ts";
import { isTransient, type SqsPort } from "../shared/sqs.ts";

export class DeleteBatcher {
  readonly #o: { sqs: SqsPort; queueUrl: string; lingerMs: number; clock: Clock; log: Logger };
  #waiting: Array<{ receipt: string; resolve: () => void }> = [];
  #timer: TimerHandle | undefined;

  constructor(o: { sqs: SqsPort; queueUrl: string; lingerMs: number; clock: Clock; log: Logger }) {
    this.#o = o;
  }

  /** Resolves once the receipt's batch was sent (deleted, or the failure logged). */
  delete(receipt: string): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push({ receipt, resolve });
      if (this.#waiting.length >= MAX_BATCH_ENTRIES) void this.flush();
      else this.#timer ??= this.#o.clock.setTimeout(() => void this.flush(), this.#o.lingerMs);
    });
  }

  /** Sends everything waiting now, without the linger. */
  async flush(): Promise<void> {
    const o = this.#o;
    o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, MAX_BATCH_ENTRIES);
      const entries = batch.map((d, i) => ({ Id: String(i), ReceiptHandle: d.receipt }));
      try {
        const send = () => o.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: o.queueUrl, Entries: entries }));
        const out = await retry(send, { attempts: 3, isRetriable: isTransient, base: 200, cap: 1000, floor: 50, clock: o.clock });
        if (out.Failed?.length) o.log.warn("sqs.delete_failed", { count: out.Failed.length, code: out.Failed[0].Code });
      } catch (err) {
        o.log.warn("sqs.delete_failed", { count: entries.length, err });
      }
      for (const d of batch) d.resolve();
    }
  }
}
