// modules/queue as planned: every queue's max_message_size is set by the
// unit (not left to a default) and is the size the deploy guide's check
// sends ("Packed messages: what only a real account proves", step 1).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DLQ_ACTIONS } from "../../../scripts/dlq/ops.ts";
import { ROOT } from "../../helpers/infra-checks.ts";
import type { PlanCheck } from "./types.ts";

/** The size step 1 of the deploy guide states, and the two sizes it sends (fits, refused). */
export function documentedMessageSize(text: string): { stated: number; fits: number; refused: number } {
  const step = /^# 1\. [\s\S]*?(?=^# 2\. )/m.exec(text)?.[0];
  assert.ok(step, "docs/deploy-aws.md has no step 1 (message size) in its packed-messages check");
  const stated = Number(/max_message_size = (\d+)/.exec(step)?.[1]);
  const sends = [...step.matchAll(/head -c (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(Number.isInteger(stated), "step 1 does not state max_message_size = <bytes>");
  assert.equal(sends.length, 2, "step 1 sends one message that fits and one that is refused");
  return { stated, fits: sends[0], refused: sends[1] };
}

/** What the redrive roles may do: the DLQ tool's calls, and what SQS needs to run the move task with the caller's rights. */
const REDRIVE = {
  dlq: [...DLQ_ACTIONS.map((a) => `sqs:${a}`), "sqs:DeleteMessage"].sort(),
  source: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
};

export const checks: PlanCheck[] = [
  {
    name: "alarms plan: the DLQ alarm's runbook line names npm run dlq for its environment (peek, redrive, status), a script package.json runs",
    units: "*/alarms",
    check(plan, unit) {
      const text = String(plan.one('aws_cloudwatch_metric_alarm.sqs["dlq"]').alarm_description);
      for (const cmd of ["peek", "redrive", "status"]) assert.ok(text.includes(`npm run dlq -- --env ${unit.env} ${cmd}`), `the DLQ alarm does not say: npm run dlq -- --env ${unit.env} ${cmd}`);
      const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
      assert.equal(scripts.dlq, "node scripts/dlq.ts");
    },
    broken: [{ name: "the old runbook line", edit: (j) => { j.resource_changes!.find((c) => c.address === 'aws_cloudwatch_metric_alarm.sqs["dlq"]')!.change.after!.alarm_description = "A stock update was moved to the DLQ. Inspect it in inventory-update-dlq."; } }],
  },
  {
    name: "queue plan: the on-call roles may peek into the DLQ and redrive it to the inventory queue (npm run dlq), nothing more",
    units: "*/queue",
    check(plan, unit) {
      const st = plan.statements("data.aws_iam_policy_document.redrive");
      const bySid = Object.fromEntries(st.map((x) => [x.sid, [...(x.actions ?? [])].sort()]));
      assert.deepEqual(Object.keys(bySid).sort(), ["MoveBackToSource", "PeekAndMoveFromDlq"]);
      assert.deepEqual(bySid.PeekAndMoveFromDlq, REDRIVE.dlq);
      assert.deepEqual(bySid.MoveBackToSource, REDRIVE.source);
      for (const x of st) assert.equal(x.resources?.length, 1, `${x.sid}: one queue`);
      const oncall = (unit.locals.env as { oncall_role_arns: string[] }).oncall_role_arns;
      const attached = plan.ofType("aws_iam_role_policy_attachment").map((a) => a.change.after!.role).sort();
      assert.deepEqual(attached, oncall.map((a) => a.split("/").pop()).sort(), "the policy is attached to every on-call role");
    },
    broken: [
      { name: "the on-call may purge the DLQ", edit: (j) => { const d = j.resource_changes!.find((c) => c.address === "data.aws_iam_policy_document.redrive")!; d.change.after!.statement[0].actions.push("sqs:PurgeQueue"); } },
      { name: "no attachment to the on-call role", edit: (j) => { j.resource_changes = j.resource_changes!.filter((c) => c.type !== "aws_iam_role_policy_attachment"); } },
    ],
  },
  {
    name: "queue plan: max_message_size is set by the unit and is what the deploy guide's size check sends",
    units: "*/queue",
    check(plan, unit) {
      const doc = documentedMessageSize(readFileSync(join(ROOT, "docs", "deploy-aws.md"), "utf8"));
      assert.equal(unit.values.max_message_size, doc.stated, "the unit sets max_message_size explicitly, to the documented size");
      assert.equal(doc.fits, doc.stated, "the message that must fit is the largest allowed");
      assert.equal(doc.refused, doc.stated + 1, "the message that must be refused is one byte more");
      const queues = plan.ofType("aws_sqs_queue");
      assert.equal(queues.length, 3);
      for (const q of queues) assert.equal(q.change.after!.max_message_size, doc.stated, `${q.address}: max_message_size`);
    },
    broken: [
      {
        name: "a queue planned at 1 MiB while the guide promises 256 KiB",
        edit(json) {
          const q = json.resource_changes!.find((c) => c.type === "aws_sqs_queue")!;
          q.change.after!.max_message_size = 1048576;
        },
      },
      {
        name: "the unit leaves max_message_size to the module default",
        edit(_json, unit) {
          delete unit.values.max_message_size;
        },
      },
    ],
  },
];
