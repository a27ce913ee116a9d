// modules/alarms as planned: the backlog alarm of the design, and a topic
// CloudWatch can actually publish to.

import assert from "node:assert/strict";
import type { PlanCheck } from "./types.ts";

export const checks: PlanCheck[] = [
  {
    name: "alarms plan: backlog alarm is ApproximateNumberOfMessagesVisible, Maximum, 60 s x 5, > 50, alarm and OK to the topic",
    units: "*/alarms",
    check(plan, unit) {
      const a = plan.one("aws_cloudwatch_metric_alarm.backlog");
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
      const unknown = plan.changes.find((c) => c.address === "aws_cloudwatch_metric_alarm.backlog")!.change.after_unknown ?? {};
      for (const k of ["alarm_actions", "ok_actions"]) assert.ok(unknown[k] === true || JSON.stringify(unknown[k]) === "[true]", `${k} must be the topic, known after apply; planned ${JSON.stringify(a[k])}`);
    },
  },
];
