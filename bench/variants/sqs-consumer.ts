// The same pricing work on the sqs-consumer library: VARIANT=batch uses
// handleMessageBatch (batchSize 10), VARIANT=single handleMessage. Same policy,
// reader and decision as the shipped service; decisions are sent one
// SendMessage each, as a handler written on the library typically does.

import { SendMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { readFileSync } from "node:fs";
import { Consumer } from "sqs-consumer";
import { decide } from "../../src/pricing/decide.ts";
import { parsePolicy } from "../../src/pricing/policy.ts";
import { readInventoryBody, priceDecidedEvent } from "../../src/shared/events.ts";
import { createSqsClient } from "../../src/shared/sqs.ts";

const sqs = createSqsClient({ region: "us-east-1", endpoint: process.env.AWS_ENDPOINT_URL_SQS });
const policy = parsePolicy(readFileSync(process.env.POLICY_FILE!, "utf8"));
const priceUrl = process.env.PRICE_QUEUE_URL!;

async function price(m: Message): Promise<void> {
  for (const item of readInventoryBody(m.Body ?? "").items) {
    if (!item.ok) continue;
    const u = item.update;
    const d = decide(u, policy);
    if (d.kind !== "priced") continue;
    const event = priceDecidedEvent({ sku: u.sku, version: u.version, quantity: u.quantity, currency: policy.currency, price: d.price, previousPrice: null, rule: d.rule, updateId: u.id }, new Date().toISOString());
    await sqs.send(new SendMessageCommand({ QueueUrl: priceUrl, MessageBody: JSON.stringify(event) }));
  }
}

const common = { queueUrl: process.env.QUEUE_URL!, sqs, batchSize: 10, waitTimeSeconds: 1 };
const consumer =
  process.env.VARIANT === "batch"
    ? Consumer.create({ ...common, handleMessageBatch: async (ms: Message[]) => { await Promise.all(ms.map(price)); return ms; } })
    : Consumer.create({ ...common, handleMessage: async (m: Message) => { await price(m); return m; } });
consumer.on("error", (err) => process.stderr.write(`${err.message}\n`));
consumer.start();
process.stdout.write(JSON.stringify({ msg: "pricing.ready" }) + "\n");
process.on("SIGTERM", () => { consumer.stop(); process.exit(0); });
