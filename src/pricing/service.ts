// Assembles the pricing service from its configuration: policy, SQS client,
// price emitter, consumer, and the health/metrics server; stops it gracefully.

import { ConfigError } from "../shared/errors.ts";
import { closeServer, createJsonServer, handleOps, sendError, listen } from "../shared/http.ts";
import { createLogger, type Logger } from "../shared/log.ts";
import { definedOnly } from "../shared/options.ts";
import { Publisher } from "../shared/publisher.ts";
import { isFifoQueue, resolveQueueUrl, type SqsPort } from "../shared/sqs.ts";
import { createMemoryRelease } from "../shared/memory.ts";
import { releaseSqs, serviceSqs, untilReady } from "../shared/startup.ts";
import type { PricingConfig } from "./config.ts";
import { Consumer } from "./consumer.ts";
import { createDeadLetter } from "./dead-letter.ts";
import { createHandler } from "./handler.ts";
import { packingFrom } from "../shared/config/packing-vars.ts";
import { QUEUE_NAMES } from "../shared/names.ts";
import { recordStart, restartedWithin } from "../shared/restarts.ts";
import { createPricingMetrics } from "./metrics.ts";
import { PolicyError } from "./policy.ts";
import { PolicySource } from "./policy-source.ts";
import { SkuTracker } from "./tracker.ts";
import { systemClock } from "../shared/clock.ts";

interface PricingDeps {
  sqs?: SqsPort;
  log?: Logger;
  /** Consumer timing for tests (long-poll wait, retry backoff base); unset keeps the configured or default value. */
  waitTimeS?: number;
  retryBaseS?: number;
  /** Clock of the restart gauge (tests). */
  now?: () => number;
}

/** How long pricing_container_restarted stays 1 after a restart. */
const RESTART_WINDOW_MS = 10 * 60_000;

interface RunningPricing {
  port: number;
  whenReady: Promise<void>;
  consumer: () => Consumer | undefined;
  policy: PolicySource;
  stop(): Promise<void>;
}

export async function startPricing(config: PricingConfig, deps: PricingDeps = {}): Promise<RunningPricing> {
  const log = deps.log ?? createLogger({ level: config.LOG_LEVEL, base: { service: "pricing" } });
  const clock = deps.now ?? systemClock.now;
  const started = clock();
  let restartsBefore = 0;
  try {
    if (config.RESTART_MARKER_DIR !== undefined) restartsBefore = recordStart(config.RESTART_MARKER_DIR, started);
  } catch (err) {
    throw new ConfigError("RESTART_MARKER_DIR", `${config.RESTART_MARKER_DIR}: cannot record the start (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  if (restartsBefore > 0) log.warn("pricing.restarted", { restartsBefore });
  let policy: PolicySource;
  try {
    policy = new PolicySource(config.POLICY_FILE, log);
  } catch (err) {
    const reason = err instanceof PolicyError ? err.message : `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    throw new ConfigError("POLICY_FILE", `${config.POLICY_FILE}: ${reason}`, { cause: err });
  }
  policy.watch(config.POLICY_RELOAD_MS);

  const metrics = createPricingMetrics(restartedWithin(restartsBefore, started, RESTART_WINDOW_MS, clock));
  const sqs = serviceSqs(config, deps.sqs, (action, outcome) => metrics.sqsCalls.inc({ action, outcome }));

  let consumer: Consumer | undefined;
  let emitter: Publisher | undefined;
  let stopping = false;
  const server = createJsonServer(
    (req, res) => {
      const path = (req.url ?? "/").split("?", 1)[0];
      if (handleOps(req, res, path, { ready: () => consumer !== undefined && !stopping, metrics: metrics.registry })) return;
      sendError(res, { code: "not_found", message: `no route for ${path.slice(0, 100)}` });
    },
    { requestTimeoutMs: 10_000 },
  );
  const port = await listen(server, config.PORT, config.HOST);
  const memory = createMemoryRelease({ idleMs: config.MEMORY_RELEASE_IDLE_S * 1000, log });
  log.info("pricing.listening", { port, policy: config.POLICY_FILE });

  const readiness = untilReady(log, async (signal) => {
    const queueUrl = await resolveQueueUrl(sqs, { url: config.QUEUE_URL, name: config.QUEUE_NAME }, signal);
    const priceUrl =
      config.PRICE_QUEUE_URL || config.PRICE_QUEUE_NAME
        ? await resolveQueueUrl(sqs, { url: config.PRICE_QUEUE_URL, name: config.PRICE_QUEUE_NAME }, signal)
        : undefined;
    const dlqName = config.DLQ_NAME ?? QUEUE_NAMES.inventoryDlq + (isFifoQueue(queueUrl) ? ".fifo" : "");
    const dlqUrl = await resolveQueueUrl(sqs, { url: config.DLQ_URL, name: dlqName }, signal);
    if (priceUrl) {
      emitter = new Publisher({
        sqs,
        lingerMs: config.EMIT_LINGER_MS,
        // Bounded by the messages in work: at most 1 MiB each, events of 150+ bytes.
        maxPending: config.CONCURRENCY * 7000,
        maxInFlight: config.EMIT_MAX_INFLIGHT_BATCHES,
        maxAttempts: config.EMIT_ATTEMPTS,
        callTimeoutMs: config.EMIT_TIMEOUT_MS,
        packing: packingFrom(config),
      });
      emitter.start(priceUrl);
    }
    consumer = new Consumer({
      sqs,
      queueUrl,
      pollers: config.POLLERS,
      concurrency: config.CONCURRENCY,
      visibilityTimeoutS: config.VISIBILITY_TIMEOUT_S,
      waitTimeS: config.RECEIVE_WAIT_S,
      ...definedOnly({ waitTimeS: deps.waitTimeS, retryBaseS: deps.retryBaseS }),
      log,
      onInFlight: (n) => metrics.inFlight.set(n),
      handle: createHandler({
        policy: () => policy.current,
        tracker: new SkuTracker(config.MAX_TRACKED_SKUS),
        emitter,
        deadLetter: createDeadLetter(sqs, dlqUrl),
        fifo: priceUrl !== undefined && isFifoQueue(priceUrl),
        metrics,
        log,
      }),
    });
    consumer.start();
    log.info("pricing.ready", { queue: queueUrl, priceQueue: priceUrl ?? null, pollers: config.POLLERS, concurrency: config.CONCURRENCY });
  });

  async function stop(): Promise<void> {
    stopping = true;
    memory.stop();
    await readiness.stop();
    policy.close();
    if (consumer) {
      const released = await consumer.stop(config.SHUTDOWN_GRACE_MS);
      log.info("pricing.drained", { released });
    }
    if (emitter) await emitter.drain(config.EMIT_DRAIN_MS);
    await closeServer(server);
    releaseSqs(sqs);
  }

  return { port, whenReady: readiness.whenReady, consumer: () => consumer, policy, stop };
}
