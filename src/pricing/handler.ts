// Handles one inventory update message: parse, order by version, decide the
// price, emit it durably, and say whether the message may be deleted.

import type { Message } from "@aws-sdk/client-sqs";
import { ValidationError } from "../shared/errors.ts";
import type { Logger } from "../shared/log.ts";
import { parseInventoryMessage, type PriceDecidedMessage } from "../shared/message.ts";
import type { Publisher } from "../shared/publisher.ts";
import type { Outcome } from "./consumer.ts";
import { decide } from "./decide.ts";
import type { PricingMetrics } from "./metrics.ts";
import type { Policy } from "./policy.ts";
import type { SkuTracker } from "./tracker.ts";

export interface HandlerOptions {
  policy: () => Policy;
  tracker: SkuTracker;
  /** Sends price.decided messages; undefined when no price queue is configured. */
  emitter: Publisher | undefined;
  fifo: boolean;
  metrics: PricingMetrics;
  log: Logger;
  now?: () => number;
}

export function createHandler(o: HandlerOptions): (message: Message) => Promise<Outcome> {
  const now = o.now ?? Date.now;
  const { metrics, log, tracker } = o;
  return async (message) => {
    metrics.received.inc();
    const sent = Number(message.Attributes?.SentTimestamp);
    if (Number.isFinite(sent) && sent > 0) metrics.age.observe(Math.max(0, now() - sent) / 1000);

    let update;
    try {
      update = parseInventoryMessage(message.Body ?? "");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      metrics.poison.inc();
      log.error("message.poison", {
        messageId: message.MessageId,
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
        code: err.code,
        field: err.field,
      });
      return "poison";
    }
    const { sku, version, quantity } = update;

    const before = tracker.claim(sku, version);
    if (before && version < before.version) {
      metrics.stale.inc();
      log.info("price.stale", { sku, version, newest: before.version, messageId: message.MessageId });
      return "ack";
    }
    if (before && version === before.priceVersion) {
      // A redelivery of a version already priced and emitted: the decision is
      // a pure function of it, so it was the same; nothing to send again.
      metrics.duplicate.inc();
      log.debug("price.duplicate", { sku, version });
      return "ack";
    }

    const policy = o.policy();
    const decision = decide(update, policy);
    if (decision.kind === "unknown") {
      metrics.unknown.inc();
      log.warn("price.unknown_sku", { sku, version });
      return "ack";
    }

    const previousPrice = before?.price ?? null;
    if (o.emitter) {
      const body: PriceDecidedMessage = {
        type: "price.decided",
        schemaVersion: 1,
        sku,
        version,
        quantity,
        currency: policy.currency,
        price: decision.price,
        previousPrice,
        rule: decision.rule,
        updateId: update.id,
        decidedAt: new Date(now()).toISOString(),
      };
      let ok = false;
      try {
        const [result] = await o.emitter.submit([
          o.fifo ? { body: JSON.stringify(body), groupId: sku, dedupId: `${sku}:${version}` } : { body: JSON.stringify(body) },
        ]);
        ok = result.ok;
        if (!result.ok) log.warn("price.send_failed", { sku, version, code: result.code });
      } catch (err) {
        log.warn("price.send_failed", { sku, version, err });
      }
      if (!ok) {
        metrics.failed.inc();
        return "retry";
      }
    }
    tracker.priced(sku, version, decision.price);
    const changed = previousPrice !== decision.price;
    metrics.priced.inc({ result: changed ? "changed" : "unchanged" });
    log.info(changed ? "price.changed" : "price.unchanged", {
      sku,
      version,
      quantity,
      previousPrice,
      price: decision.price,
      currency: policy.currency,
      rule: decision.rule,
      updateId: update.id,
    });
    return "ack";
  };
}
