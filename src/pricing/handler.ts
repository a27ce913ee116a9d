// Handles one SQS message of either format (a packed CloudEvents batch, or
// the older one-update message): each event is settled on its own (priced,
// stale, duplicate, unknown SKU, or a malformed event sent to the DLQ alone),
// the decisions are emitted together, and the message may be deleted only
// when every event is settled and every decision is stored. When some
// decisions were not stored the message is retried; on redelivery the events
// already priced count as duplicates and are not sent again.

import type { Message } from "@aws-sdk/client-sqs";
import { ValidationError } from "../shared/errors.ts";
import { priceDecidedEvent, readInventoryBody, type BodyItem } from "../shared/events.ts";
import type { Logger } from "../shared/log.ts";
import { fifoIds } from "../shared/fifo.ts";
import type { InventoryUpdatedMessage } from "../shared/legacy-message.ts";
import type { PublishEntry, Publisher } from "../shared/publisher.ts";
import type { Outcome } from "./consumer.ts";
import type { DeadLetter } from "./dead-letter.ts";
import { decide } from "./decide.ts";
import type { PricingMetrics } from "./metrics.ts";
import type { Policy } from "./policy.ts";
import type { SkuTracker } from "./tracker.ts";
import { systemClock } from "../shared/clock.ts";

interface HandlerOptions {
  policy: () => Policy;
  tracker: SkuTracker;
  /** Sends price.decided events; undefined when no price queue is configured. */
  emitter: Publisher | undefined;
  /** Where a malformed event inside a well-formed batch goes. */
  deadLetter: DeadLetter;
  fifo: boolean;
  metrics: PricingMetrics;
  log: Logger;
  now?: () => number;
}

interface Decided {
  update: InventoryUpdatedMessage;
  price: number;
  previousPrice: number | null;
  rule: string;
  currency: string;
}

/** Events already sent to the DLQ, so a redelivered batch does not send them twice (bounded). */
const DEAD_LETTERED_MAX = 10_000;

export function createHandler(o: HandlerOptions): (message: Message) => Promise<Outcome> {
  const now = o.now ?? systemClock.now;
  const { metrics, log, tracker } = o;
  const deadLettered = new Set<string>();
  // Per-update hot path: series keys built once, and no log record built
  // when info is off (docs/performance.md, pricing's profile).
  const pricedAs = { changed: metrics.priced.bind({ result: "changed" }), unchanged: metrics.priced.bind({ result: "unchanged" }) };

  async function refuse(item: Extract<BodyItem, { ok: false }>, message: Message): Promise<boolean> {
    const key = `${message.MessageId}#${item.index}`;
    metrics.poison.inc();
    log.error("event.poison", { messageId: message.MessageId, index: item.index, code: item.error.code, field: item.error.field });
    if (deadLettered.has(key)) return true;
    try {
      await o.deadLetter(item.raw, item.error, message, item.index);
    } catch (err) {
      log.warn("event.dead_letter_failed", { messageId: message.MessageId, index: item.index, err });
      return false;
    }
    deadLettered.add(key);
    if (deadLettered.size > DEAD_LETTERED_MAX) deadLettered.delete(deadLettered.values().next().value!);
    return true;
  }

  /** Settles one event without sending anything: a decision to emit, or undefined when settled already. */
  function settle(update: InventoryUpdatedMessage, inMessage: Map<string, Decided>): Decided | undefined {
    const { sku, version } = update;
    const before = tracker.claim(sku, version);
    const earlier = inMessage.get(sku);
    if ((before && version < before.version) || (earlier && version < earlier.update.version)) {
      metrics.stale.inc();
      log.info("price.stale", { sku, version, newest: Math.max(before?.version ?? 0, earlier?.update.version ?? 0) });
      return undefined;
    }
    if ((before && version === before.priceVersion) || earlier?.update.version === version) {
      // A redelivery of a version already priced and emitted: the decision is
      // a pure function of it, so it was the same; nothing to send again.
      metrics.duplicate.inc();
      log.debug("price.duplicate", { sku, version });
      return undefined;
    }
    const policy = o.policy();
    const decision = decide(update, policy);
    if (decision.kind === "unknown") {
      metrics.unknown.inc();
      log.warn("price.unknown_sku", { sku, version });
      return undefined;
    }
    const previousPrice = earlier?.price ?? before?.price ?? null;
    const d: Decided = { update, price: decision.price, previousPrice, rule: decision.rule, currency: policy.currency };
    inMessage.set(sku, d);
    return d;
  }

  /** Emits the decisions together; returns which were stored. */
  async function emit(decided: Decided[]): Promise<boolean[]> {
    if (!o.emitter || decided.length === 0) return decided.map(() => true);
    const decidedAt = new Date(now()).toISOString();
    const entries = decided.map((d): PublishEntry => {
      const { sku, version, quantity, id } = d.update;
      const body = JSON.stringify(priceDecidedEvent({ sku, version, quantity, currency: d.currency, price: d.price, previousPrice: d.previousPrice, rule: d.rule, updateId: id }, decidedAt));
      return o.fifo ? { body, ...fifoIds(sku, version) } : { body };
    });
    try {
      const results = await o.emitter.submit(entries);
      return results.map((r, i) => {
        if (!r.ok) log.warn("price.send_failed", { sku: decided[i].update.sku, version: decided[i].update.version, code: r.code });
        return r.ok;
      });
    } catch (err) {
      log.warn("price.send_failed", { count: decided.length, err });
      return decided.map(() => false);
    }
  }

  return async (message) => {
    metrics.received.inc();
    const sent = Number(message.Attributes?.SentTimestamp);
    if (Number.isFinite(sent) && sent > 0) metrics.age.observe(Math.max(0, now() - sent) / 1000);

    let items: BodyItem[];
    try {
      items = readInventoryBody(message.Body ?? "").items;
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

    let complete = true;
    const inMessage = new Map<string, Decided>();
    const decided: Decided[] = [];
    for (const item of items) {
      if (!item.ok) {
        if (!(await refuse(item, message))) complete = false;
        continue;
      }
      const d = settle(item.update, inMessage);
      if (d) decided.push(d);
    }

    const stored = await emit(decided);
    const infoOn = log.isEnabled("info");
    decided.forEach((d, i) => {
      const { sku, version, quantity, id } = d.update;
      if (!stored[i]) {
        metrics.failed.inc();
        complete = false;
        return;
      }
      tracker.priced(sku, version, d.price);
      const result = d.previousPrice !== d.price ? "changed" : "unchanged";
      pricedAs[result]();
      if (infoOn) log.info(`price.${result}`, { sku, version, quantity, previousPrice: d.previousPrice, price: d.price, currency: d.currency, rule: d.rule, updateId: id });
    });
    return complete ? "ack" : "retry";
  };
}
