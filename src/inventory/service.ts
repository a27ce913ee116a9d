// Assembles the inventory service from its configuration: SQS client,
// publisher, HTTP server; resolves the queue; and stops it gracefully.

import { setTimeout as sleep } from "node:timers/promises";
import { closeServer, createJsonServer, listen, startDraining } from "../shared/http.ts";
import { createLogger, type Logger } from "../shared/log.ts";
import { isFifoQueue, resolveQueueUrl, type SqsPort } from "../shared/sqs.ts";
import { createMemoryRelease } from "../shared/memory.ts";
import { releaseSqs, serviceSqs, untilReady } from "../shared/startup.ts";
import { createInventoryHandler } from "./app.ts";
import { loadAuth, watchTokenFile } from "./auth.ts";
import { stopBoundMs, type InventoryConfig } from "./config.ts";
import { createInventoryMetrics } from "./metrics.ts";
import openapi from "./openapi.json" with { type: "json" };
import { Publisher } from "../shared/publisher.ts";
import { packingFrom } from "../shared/config/packing-vars.ts";

interface InventoryDeps {
  /** An SQS client; built from the configuration when absent. */
  sqs?: SqsPort;
  log?: Logger;
}

export interface RunningInventory {
  port: number;
  /** Resolves once the queue URL is known and updates are accepted. */
  whenReady: Promise<void>;
  stop(): Promise<void>;
}

export async function startInventory(config: InventoryConfig, deps: InventoryDeps = {}): Promise<RunningInventory> {
  const log = deps.log ?? createLogger({ level: config.LOG_LEVEL, base: { service: "inventory" } });
  const auth = loadAuth(config);
  const stopWatching = watchTokenFile(auth, config, log);

  let publisher: Publisher | undefined = undefined;
  const metrics = createInventoryMetrics(() => publisher?.pending ?? 0);
  const sqs = serviceSqs(config, deps.sqs, (action, outcome) => metrics.sqsCalls.inc({ action, outcome }));
  publisher = new Publisher({
    sqs,
    lingerMs: config.BATCH_LINGER_MS,
    maxPending: config.MAX_PENDING_UPDATES,
    maxInFlight: config.MAX_INFLIGHT_BATCHES,
    maxAttempts: config.PUBLISH_ATTEMPTS,
    callTimeoutMs: config.PUBLISH_TIMEOUT_MS,
    packing: packingFrom(config),
    onBatch: (_messages, _stored, events) => metrics.batchSize.observe(events),
    onStored: (ms) => metrics.publishLatency.observe(ms / 1000),
  });
  const pub = publisher;

  let queueUrl = config.QUEUE_URL;
  let stopping = false;
  const server = createJsonServer(
    createInventoryHandler({
      publisher: pub,
      auth,
      metrics,
      log,
      maxBodyBytes: config.MAX_BODY_BYTES,
      maxPendingUpdates: config.MAX_PENDING_UPDATES,
      fifo: () => queueUrl !== undefined && isFifoQueue(queueUrl),
      ready: () => !stopping && pub.ready,
      openapi: JSON.stringify(openapi),
    }),
    { requestTimeoutMs: config.REQUEST_TIMEOUT_MS, keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS, maxConnections: config.MAX_CONNECTIONS },
  );
  const port = await listen(server, config.PORT, config.HOST);
  const memory = createMemoryRelease({ idleMs: config.MEMORY_RELEASE_IDLE_S * 1000, log });
  log.info("inventory.listening", { port, auth: auth.disabled ? "disabled" : `${auth.size} token(s)` });

  // Resolve the queue in the background: /healthz answers meanwhile and
  // /readyz stays 503 until updates can really be stored.
  const readiness = untilReady(log, async (signal) => {
    queueUrl = await resolveQueueUrl(sqs, { url: config.QUEUE_URL, name: config.QUEUE_NAME }, signal);
    pub.start(queueUrl);
    log.info("inventory.ready", { queue: queueUrl, fifo: isFifoQueue(queueUrl) });
  });

  async function stop(): Promise<void> {
    stopping = true;
    memory.stop();
    await readiness.stop();
    stopWatching();
    // Keep-alive clients are told to reconnect (elsewhere, once the endpoints drop this pod) from now on.
    startDraining(server);
    if (config.SHUTDOWN_DELAY_MS > 0) await sleep(config.SHUTDOWN_DELAY_MS);
    const closed = closeServer(server);
    // One deadline for the rest (stopBoundMs): the flush gets
    // SHUTDOWN_GRACE_MS, the SQS calls in flight when it gives up answer
    // within PUBLISH_TIMEOUT_MS (their own limit), so every request that
    // reached the publisher gets its 202 or 503; connections still open after
    // that, idle keep-alive ones included, are cut.
    const timer = setTimeout(() => server.closeAllConnections(), Math.max(100, stopBoundMs(config) - config.SHUTDOWN_DELAY_MS)).unref();
    const drained = await pub.drain(config.SHUTDOWN_GRACE_MS);
    if (!drained) log.warn("shutdown.unflushed", { pending: pub.pending });
    await closed;
    clearTimeout(timer);
    releaseSqs(sqs);
  }

  return { port, whenReady: readiness.whenReady, stop };
}
