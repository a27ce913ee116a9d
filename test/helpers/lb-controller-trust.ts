// The load balancer controller role's trust, read from the module's HCL, and
// the break that opens it to any ServiceAccount of kube-system.

import { join } from "node:path";
import { blocksOf, readModule, type Hcl } from "./hcl.ts";
import { edit } from "./break.ts";

export const CONTROLLER_SUBJECT = "system:serviceaccount:kube-system:aws-load-balancer-controller";

/** Problems with the controller role's trust: the module's call of modules/irsa-role and that module's trust document. */
export async function trustProblems(root: string): Promise<string[]> {
  const m = await readModule(root, "lb-controller");
  const role = await readModule(root, "irsa-role");
  const out: string[] = [];
  const statements = (blocksOf(role, "data", "aws_iam_policy_document").trust?.statement ?? []) as Hcl[];
  if (statements.length !== 1) return [`irsa-role trust has ${statements.length} web identity statements, want 1`];
  const s = statements[0];
  if (JSON.stringify(s.actions) !== JSON.stringify(["sts:AssumeRoleWithWebIdentity"])) out.push(`actions ${s.actions}`);
  const principals = ((s.principals ?? []) as Hcl[]).map((p) => `${p.type}=${JSON.stringify(p.identifiers)}`);
  if (JSON.stringify(principals) !== JSON.stringify(['Federated=["${var.oidc_provider_arn}"]'])) out.push(`principals ${principals.join(", ")}, want only the OIDC provider`);
  const conds = Object.fromEntries(((s.condition ?? []) as Hcl[]).map((c) => [c.variable, c]));
  const sub = conds["${local.issuer}:sub"];
  const aud = conds["${local.issuer}:aud"];
  if (sub?.test !== "StringEquals" || JSON.stringify(sub?.values) !== JSON.stringify(["system:serviceaccount:${var.namespace}:${var.service_account}"])) out.push(`sub condition ${JSON.stringify(sub)}`);
  if (aud?.test !== "StringEquals" || JSON.stringify(aud?.values) !== JSON.stringify(["sts.amazonaws.com"])) out.push(`aud condition ${JSON.stringify(aud)}`);
  if (Object.keys(conds).length !== 2) out.push(`conditions ${Object.keys(conds).join(", ")}, want sub and aud only`);
  const call = m.blocks.flatMap((b) => Object.values((b.module ?? {}) as Record<string, Hcl[]>)).map((c) => c[0]).find((c) => c.source === "../irsa-role");
  if (!call) return [...out, "modules/lb-controller does not call ../irsa-role"];
  if (call.assumed_by !== undefined) out.push("the role may be assumed by other roles (assumed_by)");
  const fill = (v: unknown) => String(v ?? "").replace("${var.namespace}", String(m.variables.namespace?.default)).replace("${var.service_account}", String(m.variables.service_account?.default));
  const subject = `system:serviceaccount:${fill(call.namespace)}:${fill(call.service_account)}`;
  if (subject !== CONTROLLER_SUBJECT) out.push(`subject ${subject}, want ${CONTROLLER_SUBJECT}`);
  return out;
}

/** Points the role of a copy of modules/lb-controller at another ServiceAccount: kube-system's default, which any pod there may use. */
export function widenTrust(moduleDir: string): void {
  edit(join(moduleDir, "main.tf"), /service_account(\s+)= var\.service_account/, 'service_account$1= "default"');
}
