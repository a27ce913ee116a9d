// The embedded SQS emulator with the project's queues and a real SDK client,
// for a test that needs a fresh one and stops it afterwards.

import { SQSClient } from "@aws-sdk/client-sqs";
import { createQueues, EMULATOR_REGION, startEmulator, type Emulator, type QueueSetup } from "../../scripts/emulator.ts";

/** A real SDK client of the emulator. */
export function emulatorClient(e: Emulator): SQSClient {
  return new SQSClient({ region: EMULATOR_REGION, endpoint: e.endpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

/** Runs `fn` against a fresh emulator and its queues; stops both whatever happens. */
export async function withStack<T>(options: Parameters<typeof createQueues>[1], fn: (e: Emulator, q: QueueSetup, sqs: SQSClient) => Promise<T>): Promise<T> {
  const e = await startEmulator({ port: 0 });
  const q = createQueues(e, options);
  const sqs = emulatorClient(e);
  try {
    return await fn(e, q, sqs);
  } finally {
    sqs.destroy();
    await e.stop();
  }
}
