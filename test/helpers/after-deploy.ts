// The apply tier's steps after the first pipeline deploy
// (test/helpers/apply.ts): once every unit is applied, the tier makes in
// moto what that deploy makes (the Ingress's ALB, as the load balancer
// controller would), applies the unit again with the inputs
// docs/deploy-aws.md says to set then, plans it again (no changes allowed)
// and checks what AWS holds. What it made goes once the unit is destroyed.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { python } from "./moto.ts";

/** A unit of one environment in moto, as a step sees it. */
export interface DeployedUnit {
  env: string;
  endpoint: string;
  account: string;
  region: string;
  /** The unit's inputs for the second apply (terraform.tfvars.json). */
  values: Record<string, unknown>;
  /** Outputs of an applied unit of the same environment, by its folder ("network"). */
  outputs(unit: string): Record<string, unknown> | undefined;
}

export interface AfterFirstDeploy {
  /** What the step proves, for the test's name. */
  why: string;
  /** Inputs added for the second apply. */
  inputs: Record<string, unknown>;
  /** Makes in moto what the first deploy makes. */
  prepare(u: DeployedUnit): void;
  /** What is wrong with the result, given the unit's outputs after the second apply; [] when right. */
  check(u: DeployedUnit, outputs: Record<string, unknown>): string[];
  /** Removes what prepare made, once the unit is destroyed. */
  cleanup(u: DeployedUnit): void;
}

/** test/apply/controller_alb.py, its JSON answer. */
function controllerAlb(u: DeployedUnit, ...args: string[]): Record<string, any> {
  const script = join(import.meta.dirname, "..", "apply", "controller_alb.py");
  const r = spawnSync(python(), [script, u.endpoint, u.account, u.region, ...args], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`controller_alb.py ${args[0]}: ${(r.stderr || String(r.error)).trim().split("\n").slice(-3).join(" ")}`);
  return JSON.parse(r.stdout) as Record<string, any>;
}

export const AFTER_FIRST_DEPLOY: Record<string, AfterFirstDeploy> = {
  observability: {
    why: "the alarm on the ALB's own 5xx, on the ALB looked up by name",
    inputs: { alb_alarm_enabled: true },
    prepare(u) {
      const subnets = u.outputs("network")?.public_subnet_ids as string[] | undefined;
      if (!subnets?.length) throw new Error(`${u.env}/network has no public_subnet_ids to put the ALB in`);
      controllerAlb(u, "create", String(u.values.load_balancer_name), ...subnets);
    },
    check(u, outputs) {
      const name = ((outputs.alarm_names ?? []) as string[]).find((n) => n.endsWith("-inventory-alb-5xx"));
      if (!name) return [`alarm_names lists no *-inventory-alb-5xx: ${JSON.stringify(outputs.alarm_names)}`];
      const held = controllerAlb(u, "alarms", String(u.values.load_balancer_name), name);
      const alarm = held.alarms[0];
      if (!alarm) return [`CloudWatch holds no alarm ${name}`];
      const out: string[] = [];
      if (alarm.namespace !== "AWS/ApplicationELB" || alarm.metric !== "HTTPCode_ELB_5XX_Count") out.push(`${name} reads ${alarm.namespace} ${alarm.metric}`);
      if (alarm.dimensions.LoadBalancer !== held.arnSuffix) out.push(`${name}: LoadBalancer dimension ${alarm.dimensions.LoadBalancer}; the ALB's ARN suffix is ${held.arnSuffix}`);
      return out;
    },
    cleanup(u) {
      controllerAlb(u, "delete", String(u.values.load_balancer_name));
    },
  },
};
