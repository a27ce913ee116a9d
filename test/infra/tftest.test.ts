// Every module's `terraform test` plans against the real aws provider
// (offline: local mirror, fake credentials): log groups with retention,
// alarms with alarm and OK actions, the Fargate role's logs permissions,
// subscriptions from the variable. And broken copies must fail them.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ROOT, terraformAvailable } from "../helpers/infra-checks.ts";
import { modulesWithTests, terraformTest, tftestUnavailable } from "../helpers/tftest.ts";

const skip = tftestUnavailable(terraformAvailable());

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), `the break does not apply to ${file}`);
  writeFileSync(file, text.replace(from, to));
}

describe("terraform test", { concurrency: 2 }, () => {
  test("the observability, eks, pipeline and alarms modules carry plan tests", () => {
    for (const m of ["alarms", "eks", "observability", "pipeline"]) assert.ok(modulesWithTests(ROOT).includes(m), m);
  });

  for (const name of modulesWithTests(ROOT)) {
    test(`modules/${name}: plans pass`, async (t) => {
      if (skip) return t.skip(skip);
      const r = await terraformTest(ROOT, name);
      assert.ok(r.ok, r.out);
    });
  }

  // [what, module, break, the assertions' error_messages that must report it].
  // One copy per module: each run block reports its own failure.
  const broken: Array<[string, string, (dir: string) => void, string[]]> = [
    ["an alarm without OK actions", "observability", (d) => edit(join(d, "alarms.tf"), "  ok_actions          = local.actions\n", ""), ["every alarm must notify the topic on ALARM and on OK"]],
    [
      "a control-plane group without retention and a Fargate role without PutLogEvents",
      "eks",
      (d) => {
        edit(join(d, "logging.tf"), "  retention_in_days = var.log_retention_days\n", "");
        edit(join(d, "logging.tf"), '      "logs:PutLogEvents",\n', "");
      },
      ["the control-plane group must have a retention", "the pod execution role needs every action"],
    ],
    ["subscriptions not all taken from the variable", "alarms", (d) => edit(join(d, "subscriptions.tf"), " => s }", ' => s if s.protocol == "https" }'), ["one subscription per entry of pager_subscriptions"]],
  ];
  for (const [what, name, breakIt, messages] of broken) {
    test(`modules/${name}: plans fail with ${what}`, async (t) => {
      if (skip) return t.skip(skip);
      const r = await terraformTest(ROOT, name, breakIt);
      assert.equal(r.ok, false, `still passes:\n${r.out}`);
      for (const m of messages) assert.ok(r.out.includes(m), `not reported as "${m}":\n${r.out}`);
    });
  }
});
