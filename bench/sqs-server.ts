// A local SQS server for benchmarks: the SQS JSON protocol (AWS JSON 1.0, as
// the current SDK speaks it) with correct MD5s, one in-memory queue per URL,
// message attributes, long polling that wakes on arrival, visibility
// timeouts, request counts per action, billed requests (every 64 KiB of a
// call's message payload is one, as SQS bills) and its own CPU. Runs as its
// own process on 127.0.0.1:
//   node bench/sqs-server.ts [--latency-ms N]     prints {"port":N} on stdout
// Control: GET /__stats, POST /__reset, POST /__preload {"queue","bodies":[...]}

import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { billedRequests } from "../src/shared/limits.ts";

type Attributes = Record<string, { DataType: string; StringValue?: string }>;
interface Msg { id: string; body: string; md5: string; attributes?: Attributes; bytes: number; sent: number; receives: number; visibleAt: number; receipt?: string }
interface Queue { name: string; messages: Msg[]; inflight: Map<string, Msg>; waiters: Array<() => void> }

const { values } = parseArgs({ options: { "latency-ms": { type: "string", default: "0" } } });
const latency = Number(values["latency-ms"]);
const queues = new Map<string, Queue>();
const counts: Record<string, number> = {};
/** Billed requests per action: max(1, ceil(message payload / 64 KiB)) per call. */
const billed: Record<string, number> = {};
const bill = (action: string, bytes: number) => void (billed[action] = (billed[action] ?? 0) + billedRequests(bytes));
function sizeOf(body: string, attributes?: Attributes): number {
  let n = Buffer.byteLength(body);
  for (const [k, a] of Object.entries(attributes ?? {})) n += Buffer.byteLength(k) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? "");
  return n;
}
let firstSendAt = 0;
/** Messages handed out by receives, and receives that handed out none: messages per receive. */
const receives = { messages: 0, empty: 0 };
const md5 = (s: string) => createHash("md5").update(s).digest("hex");

function queue(url: string): Queue {
  const name = url.slice(url.lastIndexOf("/") + 1);
  let q = queues.get(name);
  if (!q) queues.set(name, (q = { name, messages: [], inflight: new Map(), waiters: [] }));
  return q;
}

function enqueue(q: Queue, body: string, attributes?: Attributes): Msg {
  const m: Msg = { id: randomUUID(), body, md5: md5(body), attributes, bytes: sizeOf(body, attributes), sent: Date.now(), receives: 0, visibleAt: 0 };
  q.messages.push(m);
  for (const w of q.waiters.splice(0)) w();
  return m;
}

function take(q: Queue, max: number, visibility: number): Msg[] {
  const now = Date.now();
  for (const [r, m] of q.inflight) if (m.visibleAt <= now) { q.inflight.delete(r); q.messages.push(m); }
  const out = q.messages.splice(0, max);
  for (const m of out) {
    m.receives++;
    m.receipt = randomUUID();
    m.visibleAt = now + visibility * 1000;
    q.inflight.set(m.receipt, m);
  }
  return out;
}

async function handle(action: string, input: any): Promise<unknown> {
  if (!["SendMessage", "SendMessageBatch", "ReceiveMessage"].includes(action)) bill(action, 0);
  switch (action) {
    case "GetQueueUrl": return { QueueUrl: `http://127.0.0.1/000000000000/${input.QueueName}` };
    case "SendMessage": { if (!firstSendAt) firstSendAt = Date.now(); const m = enqueue(queue(input.QueueUrl), input.MessageBody, input.MessageAttributes); bill(action, m.bytes); return { MessageId: m.id, MD5OfMessageBody: m.md5 }; }
    case "SendMessageBatch": {
      if (!firstSendAt) firstSendAt = Date.now();
      const q = queue(input.QueueUrl);
      const stored = input.Entries.map((e: any) => enqueue(q, e.MessageBody, e.MessageAttributes));
      bill(action, stored.reduce((n: number, m: Msg) => n + m.bytes, 0));
      return { Successful: input.Entries.map((e: any, i: number) => ({ Id: e.Id, MessageId: stored[i].id, MD5OfMessageBody: stored[i].md5 })), Failed: [] };
    }
    case "ReceiveMessage": {
      const q = queue(input.QueueUrl);
      const max = input.MaxNumberOfMessages ?? 1;
      const vis = input.VisibilityTimeout ?? 30;
      let got = take(q, max, vis);
      // A long poll answers once it has a message or its wait is over: a receive woken by a message
      // another receive took goes back to waiting, as SQS's does (it does not answer empty early).
      const deadline = Date.now() + (input.WaitTimeSeconds ?? 0) * 1000;
      while (!got.length && Date.now() < deadline) {
        await new Promise<void>((resolve) => { const t = setTimeout(resolve, deadline - Date.now()); q.waiters.push(() => { clearTimeout(t); resolve(); }); });
        got = take(q, max, vis);
      }
      bill(action, got.reduce((n, m) => n + m.bytes, 0));
      receives.messages += got.length;
      if (!got.length) receives.empty++;
      return { Messages: got.map((m) => ({ MessageId: m.id, ReceiptHandle: m.receipt, MD5OfBody: m.md5, Body: m.body, Attributes: { ApproximateReceiveCount: String(m.receives), SentTimestamp: String(m.sent) } })) };
    }
    case "DeleteMessage": queue(input.QueueUrl).inflight.delete(input.ReceiptHandle); return {};
    case "DeleteMessageBatch": { const q = queue(input.QueueUrl); for (const e of input.Entries) q.inflight.delete(e.ReceiptHandle); return { Successful: input.Entries.map((e: any) => ({ Id: e.Id })), Failed: [] }; }
    case "ChangeMessageVisibility": { const m = queue(input.QueueUrl).inflight.get(input.ReceiptHandle); if (m) m.visibleAt = Date.now() + input.VisibilityTimeout * 1000; return {}; }
    case "ChangeMessageVisibilityBatch": { const q = queue(input.QueueUrl); for (const e of input.Entries) { const m = q.inflight.get(e.ReceiptHandle); if (m) m.visibleAt = Date.now() + e.VisibilityTimeout * 1000; } return { Successful: input.Entries.map((e: any) => ({ Id: e.Id })), Failed: [] }; }
    case "GetQueueAttributes": { const q = queue(input.QueueUrl); return { Attributes: { ApproximateNumberOfMessages: String(q.messages.length), ApproximateNumberOfMessagesNotVisible: String(q.inflight.size) } }; }
    default: throw Object.assign(new Error(`unsupported ${action}`), { type: "com.amazonaws.sqs#UnsupportedOperation" });
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(text), "x-amzn-requestid": randomUUID() });
  res.end(text);
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const server = createServer(async (req, res) => {
  const text = await body(req);
  if (req.url === "/__stats") {
    const cpu = process.cpuUsage();
    const depth = Object.fromEntries([...queues].map(([n, q]) => [n, { visible: q.messages.length, inflight: q.inflight.size }]));
    return send(res, 200, { counts, billed, receives, cpuUs: cpu.user + cpu.system, firstSendAt, depth });
  }
  if (req.url === "/__reset") { queues.clear(); for (const k in counts) delete counts[k]; for (const k in billed) delete billed[k]; firstSendAt = 0; receives.messages = receives.empty = 0; return send(res, 200, {}); }
  if (req.url === "/__preload") { const { queue: name, bodies, attributes } = JSON.parse(text); const q = queue(name); for (const b of bodies) enqueue(q, b, attributes); return send(res, 200, { loaded: bodies.length }); }
  const action = String(req.headers["x-amz-target"] ?? "").replace("AmazonSQS.", "");
  counts[action] = (counts[action] ?? 0) + 1;
  if (latency) await new Promise((r) => setTimeout(r, latency));
  try {
    send(res, 200, await handle(action, JSON.parse(text || "{}")));
  } catch (err) {
    send(res, 400, { __type: (err as { type?: string }).type ?? "com.amazonaws.sqs#InvalidParameterValue", message: (err as Error).message });
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + "\n"));
process.on("SIGTERM", () => process.exit(0));
