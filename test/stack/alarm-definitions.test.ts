// The alarms the local stack evaluates come from modules/alarms itself: the
// values the design promises, read through the HCL parser; a changed module
// changes the evaluation; alarms or variables added in new files are read,
// and what cannot be evaluated locally is reported, not guessed.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ALARMS_MODULE_DIR, loadAlarmModule } from "../../scripts/alarms/definitions.ts";
import { QUEUE_NAMES } from "../../src/shared/names.ts";
import { readModule, type Hcl } from "../helpers/hcl.ts";
import { ROOT } from "../../scripts/local-stack.ts";
import { BACKLOG } from "../helpers/alarms.ts";

function copyModule(): string {
  const dir = mkdtempSync(join(tmpdir(), "alarms-module-"));
  cpSync(ALARMS_MODULE_DIR, dir, { recursive: true });
  return dir;
}

test("the three alarms of modules/alarms, as the local stack evaluates them", async () => {
  const m = await loadAlarmModule();
  assert.equal(m.topicName, "stockprice-alerts");
  const byResource = Object.fromEntries(m.alarms.map((a) => [a.resource, a]));
  assert.deepEqual(Object.keys(byResource).sort().filter((r) => ["age", "backlog", "dlq"].includes(r)), ["age", "backlog", "dlq"]);
  const { description, ...backlog } = byResource.backlog;
  const { description: _short, ...expected } = BACKLOG;
  assert.deepEqual(backlog, { ...expected, queueName: QUEUE_NAMES.inventory });
  assert.match(description, /More than 50 messages waiting for 5 minutes\. .*up to about 180 x 50 updates/);
  assert.equal(byResource.dlq.queueName, QUEUE_NAMES.inventoryDlq);
  assert.equal(byResource.dlq.threshold, 0);
  assert.equal(byResource.age.metric, "ApproximateAgeOfOldestMessage");
  assert.equal(byResource.age.threshold, 600);
  assert.equal(byResource.price_queue_age, undefined, "no consumer of the price queue locally: its age alarm is off");
});

test("the evaluator and the HCL checks of the infrastructure read the same alarm map", async () => {
  const m = await loadAlarmModule();
  const map = Object.assign({}, ...(await readModule(ROOT, "alarms")).blocks.flatMap((b) => (b.locals ?? []) as Hcl[])).sqs_alarms as Record<string, Hcl>;
  assert.deepEqual([...m.alarms.map((a) => a.resource), ...m.skipped.map((s) => s.resource)].sort(), Object.keys(map).sort(), "every entry of sqs_alarms is evaluated or reported");
  assert.deepEqual(m.skipped, [
    { resource: "price_queue_age", reason: "enabled is false with the local inputs" },
    { resource: "updates_arriving", reason: "enabled is false with the local inputs" },
  ]);
  for (const a of m.alarms) {
    const b = map[a.resource];
    assert.equal(a.metric, b.metric_name, a.resource);
    assert.equal(a.statistic, b.statistic, a.resource);
    assert.equal(a.comparison, b.comparison_operator, a.resource);
    assert.equal(a.treatMissingData, b.treat_missing_data, a.resource);
    if (typeof b.period === "number") assert.equal(a.periodS, b.period, a.resource);
  }
});

test("a changed module changes the local evaluation; alarms added in another file are read or reported", async () => {
  const dir = copyModule();
  try {
    const variables = join(dir, "variables.tf");
    writeFileSync(variables, readFileSync(variables, "utf8").replace(/(variable "backlog_threshold"[\s\S]*?default\s*=\s*)50/, "$1" + "7"));
    writeFileSync(
      join(dir, "extra.tf"),
      `variable "not_visible_limit" {
  description = "In-flight messages above which pricing is assumed stuck."
  type        = number
  default     = 400
}

resource "aws_cloudwatch_metric_alarm" "in_flight" {
  alarm_name          = "\${var.name_prefix}-inventory-in-flight"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesNotVisible"
  dimensions          = { QueueName = var.queue_name }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.not_visible_limit
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.this["alerts"].arn]
}

resource "aws_cloudwatch_metric_alarm" "sent_rate" {
  alarm_name          = "\${var.name_prefix}-sent-rate"
  comparison_operator = "LessThanThreshold"
  evaluation_periods  = 3
  threshold           = 1
  metric_query {
    id          = "rate"
    expression  = "m1/60"
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "pods" {
  alarm_name          = "\${var.name_prefix}-pods"
  namespace           = "ContainerInsights"
  metric_name         = "pod_number_of_running_pods"
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
}
`,
    );
    const m = await loadAlarmModule(dir);
    const backlog = m.alarms.find((a) => a.resource === "backlog");
    assert.equal(backlog?.threshold, 7, "the threshold follows the module");
    const inFlight = m.alarms.find((a) => a.resource === "in_flight");
    assert.deepEqual(
      inFlight && { metric: inFlight.metric, statistic: inFlight.statistic, m: inFlight.datapointsToAlarm, n: inFlight.evaluationPeriods, threshold: inFlight.threshold, missing: inFlight.treatMissingData },
      { metric: "ApproximateNumberOfMessagesNotVisible", statistic: "Average", m: 3, n: 5, threshold: 400, missing: "missing" },
    );
    assert.deepEqual(inFlight?.notifyOn, { ALARM: true, OK: false, INSUFFICIENT_DATA: false });
    const skipped = Object.fromEntries(m.skipped.map((s) => [s.resource, s.reason]));
    assert.match(skipped.sent_rate ?? "", /metric_query/);
    assert.match(skipped.pods ?? "", /namespace "ContainerInsights"/);
    assert.equal(m.alarms.length, 4, "the three enabled entries of sqs_alarms and in_flight");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an alarm whose values cannot be resolved locally is skipped with the reason", async () => {
  const dir = copyModule();
  try {
    const file = join(dir, "sqs-alarms.tf");
    writeFileSync(file, readFileSync(file, "utf8").replace("threshold           = var.oldest_message_age_seconds", "threshold           = max(var.oldest_message_age_seconds, 60)"));
    const m = await loadAlarmModule(dir);
    assert.deepEqual(m.skipped.map((s) => s.resource).sort(), ["age", "price_queue_age", "updates_arriving"]);
    assert.match(m.skipped.find((s) => s.resource === "age")?.reason ?? "", /not a plain variable/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
