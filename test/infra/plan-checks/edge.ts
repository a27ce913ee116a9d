// modules/edge as each environment plans it: dev turns both parts off,
// prod puts the per-IP rate limit in front of the inventory ALB.

import assert from "node:assert/strict";
import { readModule } from "../../helpers/hcl.ts";
import { ROOT } from "../../helpers/infra-checks.ts";
import type { PlanCheck } from "./types.ts";

const defaults = (await readModule(ROOT, "edge")).variables;

export const checks: PlanCheck[] = [
  {
    name: "edge plan: dev creates neither a web ACL nor a record, and its outputs are empty (the render step's unset)",
    units: "dev/edge",
    check(plan) {
      assert.deepEqual(plan.resources.map((r) => r.address), []);
      assert.equal(plan.output("web_acl_arn"), "");
      assert.equal(plan.output("fqdn"), "");
    },
  },
  {
    name: "edge plan: prod's web ACL is regional, allows by default, and answers 429 over the limit per client IP",
    units: "prod/edge",
    check(plan, unit) {
      const acl = plan.one("aws_wafv2_web_acl.this[0]");
      assert.equal(acl.scope, "REGIONAL", "the kind an ALB takes");
      assert.ok(acl.default_action[0].allow.length === 1, "lets through what no rule blocks");
      const [rule] = acl.rule;
      const rate = rule.statement[0].rate_based_statement[0];
      assert.equal(rate.aggregate_key_type, "IP");
      assert.equal(rate.limit, unit.values.rate_limit ?? defaults.rate_limit.default);
      assert.equal(rate.evaluation_window_sec, unit.values.rate_window_seconds ?? defaults.rate_window_seconds.default);
      assert.equal(rule.action[0].block[0].custom_response[0].response_code, 429, "not WAF's default 403");
    },
  },
];
