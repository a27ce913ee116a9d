// inventory: stock-level updates in over HTTP, stored in SQS, 202 out.
//
// Story: read the configuration (exit 1 naming the variable if it is wrong),
// start the HTTP server and the batching publisher, resolve the queue, then
// run until SIGTERM/SIGINT: readiness 503, stop accepting, flush, exit 0.

import { loadInventoryConfig } from "./inventory/config.ts";
import { startInventory } from "./inventory/service.ts";
import { createLogger } from "./shared/log.ts";
import { runService, stopOnSignals } from "./shared/lifecycle.ts";

const config = await runService("inventory", async () => loadInventoryConfig(process.env));
const log = createLogger({ level: config.LOG_LEVEL, base: { service: "inventory" } });
const service = await runService("inventory", () => startInventory(config, { log }));
stopOnSignals(log, () => service.stop());
