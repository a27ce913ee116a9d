// A Terraform JSON plan (the `test_plan` of `terraform test -json -verbose`,
// same format as `terraform show -json`) with readers that let assertions
// say what they mean: plan.one("aws_eks_addon.coredns").configuration_values.

export interface ResourceChange {
  address: string;
  /** "module.role[\"pricing\"]" for a resource inside a module call; absent in the root module. */
  module_address?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  index?: string | number;
  change: { actions: string[]; after: Record<string, any> | null; after_unknown?: Record<string, any> };
}

export interface PlanJson {
  resource_changes?: ResourceChange[];
  output_changes?: Record<string, { after: unknown; after_unknown?: unknown }>;
  [k: string]: unknown;
}

/** One IAM policy statement as planned by an aws_iam_policy_document data source. */
export interface PlannedStatement {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: Array<{ type: string; identifiers: string[] }>;
  condition?: Array<{ test: string; variable: string; values: string[] }>;
}

export class Plan {
  readonly json: PlanJson;
  constructor(json: PlanJson) {
    this.json = json;
  }

  get changes(): ResourceChange[] {
    return this.json.resource_changes ?? [];
  }

  /** Managed resources the plan creates or updates (not data sources). */
  get resources(): ResourceChange[] {
    return this.changes.filter((c) => c.mode === "managed" && !c.change.actions.includes("delete"));
  }

  /** Every planned resource (managed) of a type, e.g. "aws_eks_addon". */
  ofType(type: string): ResourceChange[] {
    return this.resources.filter((r) => r.type === type);
  }

  has(address: string): boolean {
    return this.changes.some((c) => c.address === address);
  }

  /** The planned values of one resource or data source by address; throws naming the ones that exist. */
  one(address: string): Record<string, any> {
    const c = this.changes.find((x) => x.address === address);
    if (!c) throw new Error(`${address} is not in the plan; it has ${this.changes.map((x) => x.address).join(", ")}`);
    return c.change.after ?? {};
  }

  /** Planned values, or undefined when the resource is not in the plan. */
  maybe(address: string): Record<string, any> | undefined {
    return this.changes.find((x) => x.address === address)?.change.after ?? undefined;
  }

  /** Statements of an aws_iam_policy_document data source, as planned (values may be partly unknown). */
  statements(address: string): PlannedStatement[] {
    return (this.one(address).statement ?? []) as PlannedStatement[];
  }

  /** Every action allowed by a policy document, with the resources of its statement. */
  allowed(address: string): Map<string, PlannedStatement[]> {
    const out = new Map<string, PlannedStatement[]>();
    for (const s of this.statements(address)) {
      if ((s.effect ?? "Allow") !== "Allow") continue;
      for (const a of s.actions ?? []) out.set(a, [...(out.get(a) ?? []), s]);
    }
    return out;
  }

  /** Output value as planned (undefined when unknown until apply). */
  output(name: string): unknown {
    return this.json.output_changes?.[name]?.after;
  }
}
