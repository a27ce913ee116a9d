// The shipped services with a choice of SQS request handler, for the bench:
//   SERVICE=inventory|pricing  HANDLER=default|undici  (+ the services' own env)
// Both handlers go through this same entry (bundled by the bench), so the
// comparison differs only in the handler. The services' settings
// (MAX_UPDATES_PER_MESSAGE, SQS_VERIFY_MD5, ...) are read as in production.

import { loadInventoryConfig } from "../../src/inventory/config.ts";
import { startInventory } from "../../src/inventory/service.ts";
import { loadPricingConfig } from "../../src/pricing/config.ts";
import { startPricing } from "../../src/pricing/service.ts";
import { createLogger } from "../../src/shared/log.ts";
import { createSqsClient } from "../../src/shared/sqs.ts";
import { UndiciHttpHandler } from "../undici-handler.ts";

const service = process.env.SERVICE === "pricing" ? "pricing" : "inventory";
const requestHandler = process.env.HANDLER === "undici" ? new UndiciHttpHandler() : undefined;

if (service === "inventory") {
  const config = loadInventoryConfig(process.env);
  const sqs = createSqsClient({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL_SQS, maxAttempts: 1, md5: config.SQS_VERIFY_MD5, requestHandler });
  const running = await startInventory(config, { sqs, log: createLogger({ level: config.LOG_LEVEL, base: { service } }) });
  process.on("SIGTERM", () => void running.stop().then(() => process.exit(0)));
} else {
  const config = loadPricingConfig(process.env);
  const sqs = createSqsClient({ region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL_SQS, md5: config.SQS_VERIFY_MD5, requestHandler });
  // The long poll and backoff come from the configuration, as in production
  // (RECEIVE_WAIT_S), so empty receives are counted at the shipped wait.
  const running = await startPricing(config, { sqs, log: createLogger({ level: config.LOG_LEVEL, base: { service } }) });
  process.on("SIGTERM", () => void running.stop().then(() => process.exit(0)));
}
