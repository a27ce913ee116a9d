// Every planned unit: each log group keeps its events for a bounded time,
// and each alarm tells someone both when it fires and when it recovers.

import assert from "node:assert/strict";
import type { Plan } from "../../helpers/plan.ts";
import type { PlanCheck } from "./types.ts";

/** Whether an action list is set: planned non-empty, or unknown until apply (a topic created with it). */
function actionsSet(plan: Plan, address: string, key: string): boolean {
  const c = plan.changes.find((x) => x.address === address)!;
  const planned = c.change.after?.[key];
  if (Array.isArray(planned) && planned.length > 0) return true;
  const unknown = c.change.after_unknown?.[key];
  return unknown === true || (Array.isArray(unknown) && unknown.length > 0 && unknown.every((u) => u === true));
}

export const checks: PlanCheck[] = [
  {
    name: "every planned log group has a retention",
    units: "*/*",
    check(plan) {
      for (const g of plan.ofType("aws_cloudwatch_log_group")) {
        const days = g.change.after?.retention_in_days;
        assert.ok(typeof days === "number" && days > 0, `${g.address} (${g.change.after?.name}) keeps events for ever (retention_in_days ${days})`);
      }
    },
  },
  {
    name: "every planned alarm has alarm and OK actions",
    units: "*/*",
    check(plan) {
      for (const a of plan.ofType("aws_cloudwatch_metric_alarm")) {
        for (const key of ["alarm_actions", "ok_actions"]) assert.ok(actionsSet(plan, a.address, key), `${a.address} has no ${key}`);
      }
    },
  },
];
