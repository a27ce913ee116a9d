// modules/queue as planned: every queue's max_message_size is set by the
// unit (not left to a default) and is the size the deploy guide's check
// sends ("Packed messages: what only a real account proves", step 1).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
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

export const checks: PlanCheck[] = [
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
