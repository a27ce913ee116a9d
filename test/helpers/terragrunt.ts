// Evaluates what Terragrunt would hand to Terraform for one unit, offline:
// the inputs (root.hcl + _envcommon + the unit, with the env, region and
// account locals and the dependencies' mock_outputs), and the files root.hcl
// generates. The expressions are evaluated by hcl-eval.ts, which understands
// only what this live layer uses and names anything else in an error.

import { join } from "node:path";
import { evaluate } from "./hcl-eval.ts";
import { parseFile, readUnits, unitLocals, type Hcl, type Unit } from "./hcl.ts";

export { evaluate };

export interface ResolvedUnit extends Unit {
  /** "dev/alarms" */
  id: string;
  /** Inputs with every expression evaluated. */
  values: Record<string, unknown>;
  /** Files root.hcl generates, by path, contents evaluated (backend.tf is not among them). */
  generated: Record<string, string>;
  /** The locals visible to the unit: account, region, env (and any other the files define). */
  locals: Record<string, unknown>;
  /** Why the unit could not be evaluated offline (then it is reported failed, the others still run). */
  error?: string;
}


/**
 * Every unit of live/ with its inputs and generated files evaluated as
 * Terragrunt would. Dependencies give their mock_outputs, or, when
 * `outputs` is given (the apply tier), the real outputs of the units
 * already applied, by unit id ("dev/network"); a dependency missing from
 * it is an error for that unit.
 */
export async function resolveUnits(root: string, outputs?: ReadonlyMap<string, Record<string, unknown>>): Promise<ResolvedUnit[]> {
  const liveDir = join(root, "live");
  const rootHcl = await parseFile(join(liveDir, "root.hcl"));
  const out: ResolvedUnit[] = [];
  for (const unit of await readUnits(root)) {
    const own = await parseFile(join(unit.dir, "terragrunt.hcl"));
    const includes: Hcl[] = [];
    for (const inc of Object.values((own.include ?? {}) as Record<string, Hcl[]>)) {
      const p = String(evaluate(inc[0].path, { terragruntDir: unit.dir, liveDir }));
      if (p !== join(liveDir, "root.hcl")) includes.push(await parseFile(p));
    }
    const id = `${unit.env}/${unit.name}`;
    try {
      const locals = await unitLocals([rootHcl, ...includes, own], unit.dir, liveDir);
      const dependency = Object.fromEntries(unit.dependencies.map((d) => {
        if (outputs && !outputs.has(d.target)) throw new Error(`dependency "${d.name}": live/${d.target} has no outputs (not applied)`);
        return [d.name, { outputs: outputs ? outputs.get(d.target) : (d.mockOutputs ?? {}) }];
      }));
      const ctx = { local: locals, dependency, terragruntDir: unit.dir, liveDir };
      const values = evaluate(unit.inputs, ctx) as Record<string, unknown>;
      // Generate blocks of root.hcl, then the included files, then the unit
      // (a later block of the same name replaces an earlier one, as an
      // include merge does); a block whose `disable` is true writes nothing.
      const blocks = new Map<string, Hcl>();
      for (const f of [rootHcl, ...includes, own]) {
        for (const [name, list] of Object.entries((f.generate ?? {}) as Record<string, Hcl[]>)) blocks.set(name, list[0]);
      }
      const generated: Record<string, string> = {};
      for (const g of blocks.values()) {
        if (g.disable !== undefined && evaluate(g.disable, ctx) === true) continue;
        generated[String(g.path)] = String(evaluate(g.contents, ctx));
      }
      out.push({ ...unit, id, values, generated, locals });
    } catch (err) {
      out.push({ ...unit, id, values: {}, generated: {}, locals: {}, error: `live/${id}: ${(err as Error).message}` });
    }
  }
  return out;
}
