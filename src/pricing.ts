// pricing: consume inventory updates, decide prices from a YAML policy,
// emit each decision, never lose a message.
//
// Story: read the configuration and the policy (exit 1 naming the variable or
// the policy field if wrong), start the health/metrics server, resolve the
// queues, consume until SIGTERM/SIGINT: stop receiving, finish or release
// what is in work, exit 0.

import { loadPricingConfig } from "./pricing/config.ts";
import { startPricing } from "./pricing/service.ts";
import { createLogger } from "./shared/log.ts";
import { runService, stopOnSignals } from "./shared/lifecycle.ts";

const config = await runService("pricing", async () => loadPricingConfig(process.env));
const log = createLogger({ level: config.LOG_LEVEL, base: { service: "pricing" } });
const service = await runService("pricing", () => startPricing(config, { log }));
stopOnSignals(log, () => service.stop());
