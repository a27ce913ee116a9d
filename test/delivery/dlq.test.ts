// npm run dlq: peek runs against the embedded emulator (fauxqs) with the
// real SDK and leaves the messages where they are; redrive and status run
// against a stand-in client, because neither fauxqs 2.4.1 nor moto 5.2.1
// implements StartMessageMoveTask or ListMessageMoveTasks (the first test
// shows fauxqs refusing it, so the stand-in is replaced once it does not).

import assert from "node:assert/strict";
import { cliAsync } from "../helpers/cli.ts";
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient, StartMessageMoveTaskCommand } from "@aws-sdk/client-sqs";
import { after, before, describe, test } from "node:test";
import { createQueues, EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulator, type Emulator, type QueueSetup } from "../../scripts/emulator.ts";
import { run } from "../../scripts/dlq.ts";
import { DLQ_ACTIONS } from "../../scripts/dlq/ops.ts";

let e: Emulator;
let queues: QueueSetup;
let sqs: SQSClient;

before(async () => {
  e = await startEmulator({ port: 0 });
  queues = createQueues(e);
  sqs = new SQSClient({ region: EMULATOR_REGION, endpoint: e.endpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
});
after(async () => {
  sqs?.destroy();
  await e?.stop();
});

async function dlq(args: string[]): Promise<{ code: number | null; out: string }> {
  const r = await cliAsync("dlq.ts", args, { env: { ...EMULATOR_CREDENTIALS, AWS_REGION: EMULATOR_REGION, AWS_ENDPOINT_URL_SQS: e.endpoint } });
  return { code: r.code, out: r.stdout + r.stderr };
}

/** Messages in the queue, visible or not (fauxqs counts a message received with visibility 0 as in flight until its next receive). */
async function depth(url: string): Promise<number> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }))).Attributes ?? {};
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
}

describe("npm run dlq", () => {
  test("the emulator does not implement the move task (why redrive is tested with a stand-in)", async () => {
    await assert.rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: "arn:aws:sqs:us-east-1:000000000000:inventory-update-dlq" })));
  });

  test("peek shows ids, why each failed and the first bytes, masks tokens, and leaves every message in the DLQ", { timeout: 60_000 }, async () => {
    await sqs.send(new SendMessageCommand({
      QueueUrl: queues.dlqUrl,
      MessageBody: JSON.stringify({ sku: "ABC-1", quantity: "x", token: "tok-0123456789abcdef", note: "Authorization: Bearer abcdefghijklmnop" }),
      MessageAttributes: { "error-code": { DataType: "String", StringValue: "validation" }, "error-field": { DataType: "String", StringValue: "quantity" }, "error-message": { DataType: "String", StringValue: "must be an integer" } },
    }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.dlqUrl, MessageBody: `not json ${"y".repeat(500)}` }));
    const r = await dlq(["--env", "dev", "peek", "--bytes", "60"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /2 message\(s\) in inventory-update-dlq looked at and left there/);
    assert.match(r.out, /why: validation in quantity: must be an integer/);
    assert.match(r.out, /why: moved by the redrive policy/);
    assert.match(r.out, /body \(\d+ bytes\): not json y+\.\.\./);
    assert.doesNotMatch(r.out, /tok-0123456789abcdef|abcdefghijklmnop/, "no token in the output");
    assert.match(r.out, /"token":"\*\*\*"/);
    assert.equal(await depth(queues.dlqUrl), 2, "both messages are still in the DLQ");
    const again = await dlq(["--env", "dev", "peek"]);
    assert.match(again.out, /2 message\(s\)/, "and a second look finds them again");
  });

  test("usage errors exit 2 naming the option", async () => {
    const bad = await dlq(["--env", "staging", "peek"]);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--env must be one of dev \| prod, got "staging"/);
    const rate = await dlq(["--env", "dev", "redrive", "--max-rate", "0"]);
    assert.equal(rate.code, 2);
    assert.match(rate.out, /--max-rate must be an integer 1-500, got "0"/);
  });

  test("redrive starts a move task from the DLQ back to the source queue at the asked rate; status follows it to the end (stand-in client)", async () => {
    const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
    const statuses = ["RUNNING", "RUNNING", "COMPLETED"];
    const stub = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const name = command.constructor.name.replace(/Command$/, "");
        sent.push({ name, input: command.input });
        if (name === "GetQueueUrl") return { QueueUrl: `https://sqs.eu-west-1.amazonaws.com/210987654321/${command.input.QueueName}` };
        if (name === "GetQueueAttributes") return { Attributes: { QueueArn: `arn:aws:sqs:eu-west-1:210987654321:${String(command.input.QueueUrl).split("/").pop()}` } };
        if (name === "StartMessageMoveTask") return { TaskHandle: "handle-1" };
        if (name === "ListMessageMoveTasks") {
          const s = statuses.shift() ?? "COMPLETED";
          return { Results: [{ Status: s, ApproximateNumberOfMessagesMoved: s === "COMPLETED" ? 3 : 1, ApproximateNumberOfMessagesToMove: 3 }] };
        }
        throw new Error(`unexpected ${name}`);
      },
    };
    const lines: string[] = [];
    assert.equal(await run(["--env", "dev", "redrive", "--max-rate", "5"], () => stub as never, (l) => lines.push(l), {}), 0);
    const start = sent.find((c) => c.name === "StartMessageMoveTask")!;
    assert.deepEqual(start.input, { SourceArn: "arn:aws:sqs:eu-west-1:210987654321:inventory-update-dlq", DestinationArn: "arn:aws:sqs:eu-west-1:210987654321:inventory-update-queue", MaxNumberOfMessagesPerSecond: 5 });
    assert.equal(await run(["--env", "dev", "status", "--every", "1", "--timeout", "30"], () => stub as never, (l) => lines.push(l), {}), 0);
    assert.deepEqual(lines.filter((l) => /moved/.test(l) && !/started/.test(l)), ["RUNNING: 1 of 3 moved", "RUNNING: 1 of 3 moved", "COMPLETED: 3 of 3 moved"]);
    for (const c of sent) assert.ok((DLQ_ACTIONS as readonly string[]).includes(c.name), `${c.name} is not among the calls the IAM grants`);
  });
});
