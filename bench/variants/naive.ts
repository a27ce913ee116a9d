// The naive design of the original seed: one SendMessage per update, on
// node:http (VARIANT=naive) or Fastify (VARIANT=fastify), same validation.

import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import Fastify from "fastify";
import { parseUpdates } from "../../src/inventory/app.ts";
import { buildInventoryMessage } from "../../test/helpers/legacy-message.ts";
import { createSqsClient } from "../../src/shared/sqs.ts";

const sqs = createSqsClient({ region: "us-east-1", endpoint: process.env.AWS_ENDPOINT_URL_SQS });
const queueUrl = process.env.QUEUE_URL!;
const token = `Bearer ${process.env.AUTH_TOKENS}`;

async function publish(body: unknown): Promise<{ status: number; payload: unknown }> {
  let updates;
  try {
    updates = parseUpdates(body, Date.now());
  } catch (err) {
    return { status: 400, payload: { error: { message: (err as Error).message } } };
  }
  const ids: string[] = [];
  for (const u of updates) {
    const id = randomUUID();
    ids.push(id);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(buildInventoryMessage(u, id, id, new Date().toISOString())) }));
  }
  return { status: 202, payload: { accepted: ids.length, ids } };
}

const port = Number(process.env.PORT);
if (process.env.VARIANT === "fastify") {
  const app = Fastify({ logger: false });
  app.post("/v1/inventory", async (req, reply) => {
    if (req.headers.authorization !== token) return reply.code(401).send({ error: { code: "unauthorized" } });
    const r = await publish(req.body);
    return reply.code(r.status).send(r.payload);
  });
  await app.listen({ port, host: "127.0.0.1" });
} else {
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      let status = 401;
      let payload: unknown = { error: { code: "unauthorized" } };
      if (req.headers.authorization === token) {
        try {
          ({ status, payload } = await publish(JSON.parse(Buffer.concat(chunks).toString())));
        } catch {
          status = 400;
          payload = { error: { code: "invalid_json" } };
        }
      }
      const text = JSON.stringify(payload);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    });
  }).listen(port, "127.0.0.1");
}
process.stdout.write(JSON.stringify({ msg: "inventory.ready", port }) + "\n");
process.on("SIGTERM", () => process.exit(0));
