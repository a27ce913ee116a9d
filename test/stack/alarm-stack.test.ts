// The backlog alarm end to end on the local stack: pricing stopped, a 1 s
// period, 60 updates sent one request at a time by `npm run send -- --count`,
// the ALARM notification read from the queue subscribed to the alarm topic
// in CloudWatch's shape (and POSTed to a webhook as SNS would); then pricing
// started and the OK.

import { SQSClient } from "@aws-sdk/client-sqs";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, startStack } from "../../scripts/local-stack.ts";
import { QUEUE_NAMES } from "../../src/shared/names.ts";
import { startChild } from "../../scripts/lib/process.ts";
import { schemaErrors, waitForNotification, type Received } from "../helpers/alarms.ts";
import { eventually } from "../helpers/until.ts";

const BACKLOG = "stockprice-inventory-backlog";

test("pricing stopped: 60 updates raise the backlog ALARM through SNS in CloudWatch's shape; pricing started: OK", { timeout: 120_000 }, async () => {
  const posts: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const webhook = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      posts.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((ok) => webhook.listen(0, "127.0.0.1", () => ok()));
  const webhookUrl = `http://127.0.0.1:${(webhook.address() as { port: number }).port}/hook`;
  const dir = mkdtempSync(join(tmpdir(), "alarm-stack-"));
  const stateFile = join(dir, "stack.json");
  const lines: string[] = [];
  const stack = await startStack({
    sqsPort: 0,
    inventoryPort: 0,
    pricingPort: 0,
    policyFile: join(ROOT, "examples", "policy.yaml"),
    output: (l) => void lines.push(l),
    raw: true,
    stateFile,
    pricing: false,
    alarms: { periodS: 1, webhookUrl },
  });
  const sqs = new SQSClient({ region: stack.region, endpoint: stack.sqsEndpoint, useQueueUrlAsEndpoint: false, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const seen: Received[] = [];
  try {
    assert.ok(stack.alarms, "the stack evaluates the alarms");
    assert.match(stack.alarms.topicArn, /:stockprice-alerts$/);
    const send = startChild([join(ROOT, "scripts", "send.ts"), "--count", "60", "--state", stateFile], {}, ROOT);
    const sent = await send.exited;
    assert.equal(sent.code, 0, send.lines.join("\n"));
    assert.ok(send.lines.some((l) => l.includes("accepted 60 updates")), send.lines.join("\n"));

    const alarm = await waitForNotification(sqs, stack.alarms.inboxUrl, { alarm: BACKLOG, to: "ALARM" }, seen, 30_000);
    // The SNS envelope an SQS subscriber receives with raw delivery off.
    assert.equal(alarm.envelope.Type, "Notification");
    assert.equal(alarm.envelope.TopicArn, stack.alarms.topicArn);
    assert.equal(alarm.envelope.Subject, `ALARM: "${BACKLOG}" in US East (N. Virginia)`);
    for (const k of ["MessageId", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL"] as const) assert.ok(alarm.envelope[k] !== undefined, `envelope ${k}`);
    // CloudWatch's message inside it.
    assert.deepEqual(schemaErrors(alarm.message), []);
    const m = alarm.message;
    assert.equal(m.OldStateValue, "OK");
    assert.equal(m.AlarmArn, `arn:aws:cloudwatch:us-east-1:${m.AWSAccountId}:alarm:${BACKLOG}`);
    assert.deepEqual(m.AlarmActions, [stack.alarms.topicArn]);
    assert.deepEqual(
      { ...m.Trigger, EvaluateLowSampleCountPercentile: undefined },
      {
        MetricName: "ApproximateNumberOfMessagesVisible",
        Namespace: "AWS/SQS",
        StatisticType: "Statistic",
        Statistic: "MAXIMUM",
        Unit: null,
        Dimensions: [{ value: QUEUE_NAMES.inventory, name: "QueueName" }],
        Period: 1,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 50,
        TreatMissingData: "notBreaching",
        EvaluateLowSampleCountPercentile: undefined,
      },
    );
    assert.match(m.NewStateReason, /^Threshold Crossed: 5 out of the last 5 datapoints \[60\.0 \(.+\)\] were greater than the threshold \(50\.0\)/);
    assert.ok(lines.some((l) => l.includes(`ALARM ${BACKLOG}: 60 messages > 50 for 5 periods`)), lines.filter((l) => l.includes("alarm")).join("\n"));
    // The same notification reached the webhook, as SNS posts to an HTTP subscriber.
    const hookFor = () => posts.find((p) => p.headers["x-amz-sns-message-id"] === alarm.envelope.MessageId);
    await eventually(() => hookFor() !== undefined, { timeoutMs: 5000, intervalMs: 50 });
    const hook = hookFor();
    assert.ok(hook, `webhook got ${posts.length} posts, none with MessageId ${alarm.envelope.MessageId}`);
    assert.equal(hook.headers["x-amz-sns-message-type"], "Notification");
    assert.equal(hook.headers["x-amz-sns-topic-arn"], stack.alarms.topicArn);
    assert.deepEqual(JSON.parse(JSON.parse(hook.body).Message), m);

    await stack.startPricing();
    const ok = await waitForNotification(sqs, stack.alarms.inboxUrl, { alarm: BACKLOG, from: "ALARM", to: "OK" }, seen, 30_000);
    assert.deepEqual(schemaErrors(ok.message), []);
    assert.match(ok.message.NewStateReason, /was not greater than the threshold \(50\.0\)/);
    assert.ok(lines.some((l) => new RegExp(`OK ${BACKLOG}: \\d+ messages, not > 50 \\(was ALARM\\)`).test(l)), lines.filter((l) => l.includes("alarm")).join("\n"));
  } finally {
    sqs.destroy();
    await stack.stop();
    webhook.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start -- --no-pricing --alarm-period-s 1: no pricing until "pricing" is typed, alarms every second', { timeout: 90_000 }, async () => {
  const proc = spawn(process.execPath, [join(ROOT, "scripts", "stack.ts"), "--no-pricing", "--alarm-period-s", "1", "--port", "0", "--pricing-port", "0", "--sqs-port", "0"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
  proc.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
  const exited = once(proc, "exit") as Promise<[number | null, string | null]>;
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    await eventually(() => pattern.test(output) || proc.exitCode !== null, { timeoutMs, intervalMs: 50 });
    assert.match(output, pattern);
  };
  try {
    await waitFor(/pricing is NOT running \(--no-pricing\)/);
    assert.match(output, /alarms {12}every 1 s -> SNS arn:aws:sns:us-east-1:\d+:stockprice-alerts/);
    await waitFor(/alarm {4}\| OK stockprice-inventory-backlog: 0 messages, not > 50/);
    assert.doesNotMatch(output, /^pricing\s/m, "pricing has not logged anything");
    proc.stdin.write("pricing\n");
    await waitFor(/pricing is running\./);
    assert.match(output, /^.*pricing\s.*pricing\.ready/m);
  } finally {
    proc.kill("SIGINT");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 45_000);
    const [code] = await exited;
    clearTimeout(timer);
    assert.equal(code, 0, output.slice(-2000));
  }
});
