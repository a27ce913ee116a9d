// Every IAM policy and trust document in every plan, sized as AWS counts it
// (whitespace removed), against 90 % of its quota: 6,144 characters for a
// managed policy, 10,240 for a role's inline policies together, 2,048 for a
// role's trust policy. No emulator enforces these; the apply would fail.
//
// A document whose JSON is known only after apply (it names an ARN the same
// plan creates) is rebuilt from its policy document's planned statements,
// each unknown value counted as UNKNOWN_CHARS characters (an ARN of this
// project's resources is under 100).

import assert from "node:assert/strict";
import type { Plan, PlanJson, ResourceChange } from "../../helpers/plan.ts";
import type { PlanCheck } from "./types.ts";

export const QUOTAS = { managed: 6144, inline: 10240, trust: 2048 } as const;
export const SHARE = 0.9;
const UNKNOWN_CHARS = 128;

/** Characters AWS counts: the JSON without whitespace outside strings. */
export function policySize(json: string): number {
  return JSON.stringify(JSON.parse(json)).length;
}

type Stmt = Record<string, any>;

/** AWS's JSON for planned aws_iam_policy_document statements; unknown values become UNKNOWN_CHARS placeholders. */
export function documentFromStatements(statements: Stmt[], unknown: Stmt[] = []): string {
  const filler = "x".repeat(UNKNOWN_CHARS);
  const values = (v: unknown, u: unknown): string[] => {
    if (u === true || v === null || v === undefined) return u === true ? [filler] : [];
    return (v as unknown[]).map((x, i) => (Array.isArray(u) && u[i] === true ? filler : String(x)));
  };
  const one = (l: string[]) => (l.length === 1 ? l[0] : l);
  const out = statements.map((s, i) => {
    const u = unknown[i] ?? {};
    const st: Stmt = {};
    if (s.sid) st.Sid = s.sid;
    st.Effect = s.effect ?? "Allow";
    for (const [key, field] of [["Action", "actions"], ["NotAction", "not_actions"], ["Resource", "resources"], ["NotResource", "not_resources"]] as const) {
      const l = values(s[field], u[field]);
      if (l.length > 0) st[key] = one(l);
    }
    for (const [key, field] of [["Principal", "principals"], ["NotPrincipal", "not_principals"]] as const) {
      const ps = (s[field] ?? []) as Stmt[];
      if (ps.length > 0) st[key] = Object.fromEntries(ps.map((p, j) => [p.type, one(values(p.identifiers, u[field]?.[j]?.identifiers))]));
    }
    const cs = (s.condition ?? []) as Stmt[];
    if (cs.length > 0) {
      st.Condition = {};
      for (const [j, c] of cs.entries()) (st.Condition[c.test] ??= {})[c.variable] = one(values(c.values, u.condition?.[j]?.values));
    }
    return st;
  });
  return JSON.stringify({ Version: "2012-10-17", Statement: out });
}

/** The document of a policy attribute: planned JSON, or rebuilt from data.aws_iam_policy_document.<name>. */
function documentOf(plan: Plan, r: ResourceChange, field: string): { json: string; estimated: boolean } {
  const v = r.change.after?.[field];
  if (typeof v === "string") return { json: v, estimated: false };
  // Documents of the same module instance (module_address) and the same key.
  const docs = plan.changes.filter((c) => c.mode === "data" && c.type === "aws_iam_policy_document" && c.index === r.index && c.module_address === r.module_address);
  // The document of the same name, else (a trust policy) the one trust or assume document of the same key.
  const trust = docs.filter((c) => field === "assume_role_policy" && /trust|assume/.test(c.name));
  const doc = docs.find((c) => c.name === r.name) ?? (trust.length === 1 ? trust[0] : undefined);
  assert.ok(doc?.change.after, `${r.address}: ${field} is unknown until apply and no data.aws_iam_policy_document.${r.name} (or one trust document of the same key) to size it from`);
  return { json: documentFromStatements(doc.change.after.statement ?? [], (doc.change.after_unknown?.statement ?? []) as Stmt[]), estimated: true };
}

export interface Sized {
  what: string;
  kind: keyof typeof QUOTAS;
  size: number;
  estimated: boolean;
}

/** Every sized document of a plan: managed policies, trust policies, and inline policies summed per role. */
export function iamSizes(plan: Plan): Sized[] {
  const out: Sized[] = [];
  const inline = new Map<string, Sized>();
  for (const r of plan.resources) {
    if (r.type === "aws_iam_policy") {
      const d = documentOf(plan, r, "policy");
      out.push({ what: r.address, kind: "managed", size: policySize(d.json), estimated: d.estimated });
    } else if (r.type === "aws_iam_role") {
      const d = documentOf(plan, r, "assume_role_policy");
      out.push({ what: `${r.address} trust`, kind: "trust", size: policySize(d.json), estimated: d.estimated });
      for (const p of (r.change.after?.inline_policy ?? []) as Stmt[]) {
        if (typeof p.policy === "string") add(inline, `role ${r.change.after?.name ?? r.address}`, policySize(p.policy), false);
      }
    } else if (r.type === "aws_iam_role_policy") {
      const d = documentOf(plan, r, "policy");
      // A role named only after apply: its policies are summed together (never less than the truth per role).
      const role = typeof r.change.after?.role === "string" ? r.change.after.role : "(roles named at apply)";
      add(inline, `role ${role}`, policySize(d.json), d.estimated);
    }
  }
  return [...out, ...inline.values()];
}

function add(m: Map<string, Sized>, what: string, size: number, estimated: boolean): void {
  const cur = m.get(what) ?? { what: `${what} inline policies`, kind: "inline" as const, size: 0, estimated: false };
  m.set(what, { ...cur, size: cur.size + size, estimated: cur.estimated || estimated });
}

function pad(json: PlanJson, address: string, field: string, chars: number): void {
  const r = json.resource_changes!.find((c) => c.address === address)!;
  const doc = JSON.parse(r.change.after![field]);
  const st = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  st.push({ Sid: "Padding", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"p".repeat(chars)}` });
  doc.Statement = st;
  r.change.after![field] = JSON.stringify(doc);
}

export const checks: PlanCheck[] = [
  {
    name: `every unit's IAM documents stay under ${SHARE * 100} % of their size quotas (managed 6,144, a role's inline 10,240, trust 2,048; whitespace removed)`,
    units: "*/*",
    check(plan) {
      const over = iamSizes(plan).filter((s) => s.size > SHARE * QUOTAS[s.kind]);
      assert.deepEqual(over.map((s) => `${s.what}: ${s.size} of ${QUOTAS[s.kind]} (${Math.round((100 * s.size) / QUOTAS[s.kind])} %)${s.estimated ? ", unknown values counted as 128" : ""}`), []);
    },
    broken: [
      { name: "the load balancer controller's policy back at one document (5,803 characters)", edit: (j) => { if (j.resource_changes?.some((c) => c.address === "aws_iam_policy.this")) pad(j, "aws_iam_policy.this", "policy", 3000); else j.resource_changes!.push(fake("aws_iam_policy", "policy", 5803)); } },
      { name: "a trust policy of 1,900 characters", edit: (j) => j.resource_changes!.push(fake("aws_iam_role", "assume_role_policy", 1900)) },
      { name: "two inline policies of 5,000 on one role", edit: (j) => { j.resource_changes!.push(fake("aws_iam_role_policy", "policy", 5000, "a"), fake("aws_iam_role_policy", "policy", 5000, "b")); } },
    ],
  },
];

/** A planned resource whose document is `size` characters without whitespace. */
function fake(type: string, field: string, size: number, name = "padded"): ResourceChange {
  const base = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::" }] });
  const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"p".repeat(size - base.length)}` }] });
  const after: Record<string, unknown> = { [field]: doc, role: "padded-role", name };
  if (type === "aws_iam_role") after.assume_role_policy = doc;
  return { address: `${type}.${name}`, mode: "managed", type, name, change: { actions: ["create"], after, after_unknown: {} } };
}
