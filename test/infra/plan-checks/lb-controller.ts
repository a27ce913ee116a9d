// modules/lb-controller as planned with each unit's inputs: the controller's
// IRSA role is assumed only by its own ServiceAccount, with the STS audience.

import assert from "node:assert/strict";
import { CONTROLLER_SUBJECT } from "../../helpers/lb-controller-trust.ts";
import type { PlanCheck } from "./types.ts";

export const checks: PlanCheck[] = [
  {
    name: "lb-controller plan: the role trusts only kube-system:aws-load-balancer-controller through the cluster's OIDC provider, audience STS",
    units: "*/lb-controller",
    check(plan, unit) {
      const trust = JSON.parse(String(plan.one("module.role.aws_iam_role.this").assume_role_policy)) as { Statement: Array<Record<string, any>> };
      assert.equal(trust.Statement.length, 1, "one trust statement");
      const [s] = trust.Statement;
      assert.equal(s.Effect, "Allow");
      assert.equal(s.Action, "sts:AssumeRoleWithWebIdentity");
      assert.deepEqual(s.Principal, { Federated: unit.values.oidc_provider_arn });
      // IAM names an OIDC provider arn:aws:iam::ACCOUNT:oidc-provider/ISSUER,
      // the issuer without https://, which prefixes the token's condition keys.
      const issuer = String(unit.values.oidc_provider_arn).split(":oidc-provider/")[1];
      assert.ok(issuer?.startsWith("oidc.eks."), `issuer ${issuer}`);
      assert.deepEqual(s.Condition, { StringEquals: { [`${issuer}:sub`]: CONTROLLER_SUBJECT, [`${issuer}:aud`]: "sts.amazonaws.com" } });
    },
  },
];
