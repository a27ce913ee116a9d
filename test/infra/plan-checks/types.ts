// A check of planned values. Each file of this folder exports `checks`;
// test/infra/plan.test.ts runs every check on every unit its pattern names
// ("dev/alarms", "*/alarms", "prod/*"), after the plans.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Plan, PlanJson } from "../../helpers/plan.ts";
import type { ResolvedUnit } from "../../helpers/terragrunt.ts";

export interface PlanCheck {
  name: string;
  /** Unit pattern: env/unit, with * for any env or unit. */
  units: string;
  /** Throws (assert) when the plan breaks the promise. */
  check: (plan: Plan, unit: ResolvedUnit) => void;
  /**
   * Broken copies: each edits a copy of a matching unit's plan JSON (or of
   * the unit) so that the promise is broken; the check must then throw.
   */
  broken?: Array<{ name: string; edit: (plan: PlanJson, unit: ResolvedUnit) => void }>;
}

export function unitsMatching(pattern: string, ids: string[]): string[] {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+")}$`);
  return ids.filter((id) => re.test(id));
}

/** Every check of this folder, file by file in name order. */
export async function loadChecks(): Promise<PlanCheck[]> {
  const dir = import.meta.dirname;
  const out: PlanCheck[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "types.ts").sort()) {
    out.push(...((await import(join(dir, f))) as { checks: PlanCheck[] }).checks);
  }
  return out;
}
