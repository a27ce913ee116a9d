// The load balancer controller role's trust, read from the module's HCL, and
// the break that opens it to any ServiceAccount of kube-system.

import { join } from "node:path";
import { blocksOf, readModule, type Hcl } from "./hcl.ts";
import { edit } from "./break.ts";

export const CONTROLLER_SUBJECT = "system:serviceaccount:kube-system:aws-load-balancer-controller";

/** Problems with the controller role's trust, read from modules/lb-controller. */
export async function trustProblems(root: string): Promise<string[]> {
  const m = await readModule(root, "lb-controller");
  const out: string[] = [];
  const statements = (blocksOf(m, "data", "aws_iam_policy_document").trust?.statement ?? []) as Hcl[];
  if (statements.length !== 1) return [`trust has ${statements.length} statements, want 1`];
  const s = statements[0];
  if (JSON.stringify(s.actions) !== JSON.stringify(["sts:AssumeRoleWithWebIdentity"])) out.push(`actions ${s.actions}`);
  const principals = ((s.principals ?? []) as Hcl[]).map((p) => `${p.type}=${JSON.stringify(p.identifiers)}`);
  if (JSON.stringify(principals) !== JSON.stringify(['Federated=["${var.oidc_provider_arn}"]'])) out.push(`principals ${principals.join(", ")}, want only the OIDC provider`);
  const conds = Object.fromEntries(((s.condition ?? []) as Hcl[]).map((c) => [c.variable, c]));
  const sub = conds["${local.issuer}:sub"];
  const aud = conds["${local.issuer}:aud"];
  if (sub?.test !== "StringEquals" || JSON.stringify(sub?.values) !== JSON.stringify(["${local.subject}"])) out.push(`sub condition ${JSON.stringify(sub)}`);
  if (aud?.test !== "StringEquals" || JSON.stringify(aud?.values) !== JSON.stringify(["sts.amazonaws.com"])) out.push(`aud condition ${JSON.stringify(aud)}`);
  if (Object.keys(conds).length !== 2) out.push(`conditions ${Object.keys(conds).join(", ")}, want sub and aud only`);
  const locals = m.blocks.flatMap((b) => (b.locals ?? []) as Hcl[]).find((l) => l.subject);
  const subject = String(locals?.subject ?? "")
    .replace("${var.namespace}", String(m.variables.namespace?.default))
    .replace("${var.service_account}", String(m.variables.service_account?.default));
  if (subject !== CONTROLLER_SUBJECT) out.push(`subject ${subject}, want ${CONTROLLER_SUBJECT}`);
  return out;
}

/** Opens up the trust of a copy of modules/lb-controller: any ServiceAccount of kube-system. */
export function widenTrust(moduleDir: string): void {
  edit(
    join(moduleDir, "main.tf"),
    /test     = "StringEquals"\n      variable = "\$\{local\.issuer\}:sub"\n      values   = \[local\.subject\]/,
    'test     = "StringLike"\n      variable = "${local.issuer}:sub"\n      values   = ["system:serviceaccount:kube-system:*"]',
  );
}
