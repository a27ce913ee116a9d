// Text EC2 refuses at apply that the provider plans without complaint: a
// security group's name and description, and each rule's description, may
// hold only a-z A-Z 0-9, spaces and ._-:/()#,@[]+=;{}!$* (up to 255
// characters; `&` is allowed in some of them, so it is left out here for
// all). A rule description with an apostrophe failed the first apply of the
// eks unit after the cluster existed (AuthorizeSecurityGroupIngress:
// InvalidParameterValue). Source: the EC2 API reference,
// CreateSecurityGroup (Description) and UserIdGroupPair (Description).

import assert from "node:assert/strict";
import type { Plan } from "../../helpers/plan.ts";
import type { PlanCheck } from "./types.ts";

const EC2_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]{0,255}$/;

/** Every security-group name and description, and every rule description, the plan creates: [where, text]. */
function ec2Texts(plan: Plan): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const r of plan.resources) {
    const v = r.change.after ?? {};
    if (r.type === "aws_security_group") {
      for (const key of ["name", "description"]) if (typeof v[key] === "string") out.push([`${r.address}.${key}`, v[key]]);
      for (const dir of ["ingress", "egress"]) {
        for (const [i, rule] of ((v[dir] ?? []) as Array<{ description?: string }>).entries()) {
          if (rule.description) out.push([`${r.address}.${dir}[${i}].description`, rule.description]);
        }
      }
    } else if (/^aws_(vpc_security_group_(ingress|egress)_rule|security_group_rule)$/.test(r.type) && typeof v.description === "string") {
      out.push([`${r.address}.description`, v.description]);
    }
  }
  return out;
}

export const checks: PlanCheck[] = [
  {
    name: "every unit's plan: security-group names and descriptions use only the characters EC2 accepts",
    units: "*/*",
    check(plan) {
      for (const [where, text] of ec2Texts(plan)) assert.match(text, EC2_TEXT, `${where} = ${JSON.stringify(text)}: EC2 refuses it at apply`);
    },
    broken: [
      {
        name: "a rule description with an apostrophe",
        edit(json) {
          json.resource_changes = [
            ...(json.resource_changes ?? []),
            { address: "aws_vpc_security_group_ingress_rule.broken", mode: "managed", type: "aws_vpc_security_group_ingress_rule", name: "broken", change: { actions: ["create"], after: { description: "Kubernetes API from the pipeline's deploy action" } } },
          ];
        },
      },
    ],
  },
];
