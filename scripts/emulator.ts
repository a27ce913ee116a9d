// The embedded SQS emulator (fauxqs) for the local stack and the tests,
// bound to 127.0.0.1 only, with the project's queues.
//
// fauxqs's startFauxqs() always listens on 0.0.0.0; while it starts, the
// net.Server listen call is narrowed to loopback so the emulator is never
// reachable from another machine. Persistence (dataDir) keeps working.
//
// Run as a script it is the emulator as a process of its own (the fault suite
// kills it; the bench measures against it): startEmulatorProcess() in
// scripts/lib/stack.ts starts it and reads the one JSON line it prints:
//   node scripts/emulator.ts [--port N] [--data-dir DIR] [--visibility S] [--max-receive N]
//   -> {"ready":true,"port":N,"endpoint":...,"inventoryUrl":...,"dlqUrl":...,"priceUrl":...}

import { SQSClient } from "@aws-sdk/client-sqs";
import { Server } from "node:net";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startFauxqs, type FauxqsServer } from "fauxqs";
import { DEFAULT_MAX_RECEIVE_COUNT, QUEUE_NAMES } from "../src/shared/names.ts";

export const EMULATOR_REGION = "us-east-1";
/** The emulator accepts any credentials; the SDK insists on having some. */
export const EMULATOR_CREDENTIALS = { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };

export interface Emulator {
  server: FauxqsServer;
  port: number;
  endpoint: string;
  /** Started with a data directory: state outlives the process. */
  persistent: boolean;
  stop(): Promise<void>;
}

export async function startEmulator(options: { port?: number; dataDir?: string } = {}): Promise<Emulator> {
  const original = Server.prototype.listen;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    const first = args[0];
    if (first && typeof first === "object" && "port" in first) {
      args[0] = { ...(first as object), host: "127.0.0.1" };
    }
    return (original as (...a: unknown[]) => Server).apply(this, args);
  } as typeof original;
  let server: FauxqsServer;
  try {
    server = await startFauxqs({ port: options.port ?? 4566, logger: false, dataDir: options.dataDir, defaultRegion: EMULATOR_REGION });
  } finally {
    Server.prototype.listen = original;
  }
  return { server, port: server.port, endpoint: `http://127.0.0.1:${server.port}`, persistent: options.dataDir !== undefined, stop: () => server.stop() };
}

/** An SDK client for the emulator at `endpoint` (its queue URLs name a host that does not resolve: use the endpoint). */
export function emulatorClient(endpoint: string, region = EMULATOR_REGION): SQSClient {
  return new SQSClient({ region, endpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

export interface QueueSetup {
  inventoryUrl: string;
  dlqUrl: string;
  priceUrl: string;
}

/**
 * Creates (or, with persisted state, finds) the inventory queue with its DLQ
 * redrive and the price queue. Attributes match the Terraform `queue` module.
 */
export function createQueues(
  emulator: Emulator,
  options: { fifo?: boolean; maxReceiveCount?: number; visibilityTimeoutS?: number } = {},
): QueueSetup {
  // With a data directory the queues may exist already: keep them (and their messages).
  const ensure = (name: string, attributes: Record<string, string>) => {
    const existing = emulator.persistent ? emulator.server.inspectQueue(name) : undefined;
    if (existing) return { queueUrl: existing.url, queueArn: existing.arn };
    return emulator.server.createQueue(name, { attributes });
  };
  const suffix = options.fifo ? ".fifo" : "";
  const fifoAttrs: Record<string, string> = options.fifo ? { FifoQueue: "true" } : {};
  const common = { ReceiveMessageWaitTimeSeconds: "20", VisibilityTimeout: String(options.visibilityTimeoutS ?? 30), ...fifoAttrs };
  const dlq = ensure(QUEUE_NAMES.inventoryDlq + suffix, { ...fifoAttrs, MessageRetentionPeriod: "1209600" });
  const inventory = ensure(QUEUE_NAMES.inventory + suffix, {
    ...common,
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT }),
  });
  const price = ensure(QUEUE_NAMES.price + suffix, common);
  return { inventoryUrl: inventory.queueUrl, dlqUrl: dlq.queueUrl, priceUrl: price.queueUrl };
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, "data-dir": { type: "string" }, visibility: { type: "string", default: "30" }, "max-receive": { type: "string", default: String(DEFAULT_MAX_RECEIVE_COUNT) } } });
  for (const flag of ["port", "visibility", "max-receive"] as const) {
    if (!/^\d+$/.test(values[flag])) {
      process.stderr.write(`emulator: --${flag} must be a whole number, got "${values[flag]}"\n`);
      process.exit(2);
    }
  }
  const emulator = await startEmulator({ port: Number(values.port), dataDir: values["data-dir"] });
  const queues = createQueues(emulator, { visibilityTimeoutS: Number(values.visibility), maxReceiveCount: Number(values["max-receive"]) });
  process.stdout.write(`${JSON.stringify({ ready: true, port: emulator.port, endpoint: emulator.endpoint, ...queues })}\n`);
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void emulator.stop().then(() => process.exit(0)));
}
