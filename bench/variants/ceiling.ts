// Inventory's HTTP path as shipped, with publishing switched off: the same
// handler and Publisher, but the SQS client acknowledges in-process at once.
// The ceiling the shipped service is compared against.

import { TokenAuth } from "../../src/inventory/auth.ts";
import { createInventoryHandler } from "../../src/inventory/app.ts";
import { createInventoryMetrics } from "../../src/inventory/metrics.ts";
import { createJsonServer, listen } from "../../src/shared/http.ts";
import { createLogger } from "../../src/shared/log.ts";
import { Publisher } from "../../src/shared/publisher.ts";
import type { SqsPort } from "../../src/shared/sqs.ts";

const instant = { send: async (cmd: { input: { Entries: Array<{ Id: string }> } }) => ({ Successful: cmd.input.Entries.map((e) => ({ Id: e.Id })), Failed: [] }) } as unknown as SqsPort;
const publisher = new Publisher({ sqs: instant, lingerMs: Number(process.env.BATCH_LINGER_MS ?? 5), maxPending: 5000, maxInFlight: 32, maxAttempts: 3, callTimeoutMs: 5000 });
publisher.start("http://127.0.0.1/000000000000/inventory-update-queue");
const metrics = createInventoryMetrics(() => publisher.pending);
const server = createJsonServer(
  createInventoryHandler({ publisher, auth: new TokenAuth([process.env.AUTH_TOKENS ?? ""]), metrics, log: createLogger({ level: "warn" }), maxBodyBytes: 1 << 20, fifo: () => false, ready: () => true, openapi: "{}" }),
  { requestTimeoutMs: 15_000 },
);
const port = await listen(server, Number(process.env.PORT), "127.0.0.1");
process.stdout.write(JSON.stringify({ msg: "inventory.ready", port }) + "\n");
process.on("SIGTERM", () => process.exit(0));
