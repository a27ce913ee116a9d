// modules/alarms as planned: the backlog alarm of the design, and a topic
// CloudWatch can actually publish to.

import assert from "node:assert/strict";
import type { PlanCheck } from "./types.ts";

export const checks: PlanCheck[] = [
  {
    name: "alarms plan: backlog alarm is ApproximateNumberOfMessagesVisible, Maximum, 60 s x 5, > 50, alarm and OK to the topic",
    units: "*/alarms",
    check(plan, unit) {
      const a = plan.one('aws_cloudwatch_metric_alarm.sqs["backlog"]');
      assert.equal(a.namespace, "AWS/SQS");
      assert.equal(a.metric_name, "ApproximateNumberOfMessagesVisible");
      assert.deepEqual(a.dimensions, { QueueName: unit.values.queue_name });
      assert.equal(a.statistic, "Maximum");
      assert.equal(a.period, 60);
      assert.equal(a.evaluation_periods, 5);
      assert.equal(a.threshold, 50);
      assert.equal(a.comparison_operator, "GreaterThanThreshold");
      // The topic ARN is known only after apply: the plan shows the actions as
      // unknown, and the configuration points them at the topic (checked on
      // the HCL by alarmProblems).
      const unknown = plan.changes.find((c) => c.address === 'aws_cloudwatch_metric_alarm.sqs["backlog"]')!.change.after_unknown ?? {};
      for (const k of ["alarm_actions", "ok_actions"]) assert.ok(unknown[k] === true || JSON.stringify(unknown[k]) === "[true]", `${k} must be the topic, known after apply; planned ${JSON.stringify(a[k])}`);
    },
  },
];

/** Statements of a planned policy JSON (a string) or of a policy document data source. */
function policyStatements(json: string): Array<Record<string, any>> {
  const doc = JSON.parse(json) as { Statement: Array<Record<string, any>> | Record<string, any> };
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

checks.push(
  {
    name: "alarms plan: the topic's key is a customer managed key whose policy lets CloudWatch use it",
    units: "*/alarms",
    check(plan) {
      const key = plan.one("aws_kms_key.topic[0]");
      assert.equal(key.enable_key_rotation, true);
      const cw = policyStatements(String(key.policy)).find((s) => list(s.Principal?.Service).includes("cloudwatch.amazonaws.com"));
      assert.ok(cw, `no statement for cloudwatch.amazonaws.com in the key policy: ${key.policy}`);
      assert.equal(cw.Effect, "Allow");
      for (const a of ["kms:Decrypt", "kms:GenerateDataKey*"]) assert.ok(list(cw.Action).includes(a), `key policy lacks ${a} for CloudWatch`);
      const topic = plan.one('aws_sns_topic.this["alerts"]');
      assert.notEqual(topic.kms_master_key_id, "alias/aws/sns", "an AWS managed key's policy cannot admit CloudWatch");
      const unknown = plan.changes.find((c) => c.address === 'aws_sns_topic.this["alerts"]')!.change.after_unknown ?? {};
      assert.equal(unknown.kms_master_key_id, true, "the topic uses the key created with it (its ARN is known after apply)");
    },
  },
);
