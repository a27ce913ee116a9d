// Pricing sends a malformed event of a packed message to the DLQ itself, so
// its role may send there: the grant names the DLQ and nothing wider, and the
// live layer passes the queue unit's DLQ ARN.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { blocksOf, readModule, type Hcl } from "../helpers/hcl.ts";
import { ROOT } from "../helpers/infra-checks.ts";
import { sqsCommandsUsedBy } from "../helpers/sqs-actions.ts";

test("pricing's role may send to the DLQ, exactly as its code does", async () => {
  assert.ok((await sqsCommandsUsedBy(ROOT, "src/pricing.ts")).has("SendMessage"), "the code sends to the DLQ with SendMessage");
  const m = await readModule(ROOT, "irsa");
  const statements = blocksOf(m, "data", "aws_iam_policy_document").pricing.statement as Hcl[];
  const toDlq = statements.filter((s) => (s.resources as string[]).some((r) => r.includes("inventory_dlq_arn")));
  assert.equal(toDlq.length, 1);
  assert.deepEqual([...toDlq[0].actions].sort(), ["sqs:GetQueueUrl", "sqs:SendMessage"]);
  assert.deepEqual(toDlq[0].resources, ["${var.inventory_dlq_arn}"]);
  const inventory = blocksOf(m, "data", "aws_iam_policy_document").inventory.statement as Hcl[];
  assert.ok(!inventory.some((s) => JSON.stringify(s.resources).includes("dlq")), "inventory never touches the DLQ");
  const live = readFileSync(join(ROOT, "live", "_envcommon", "irsa.hcl"), "utf8");
  assert.match(live, /inventory_dlq_arn\s*=\s*dependency\.queue\.outputs\.dlq_arn/);
});
