// modules/network as planned: every subnet inside the VPC, none overlapping,
// none smaller than AWS allows (/28).

import assert from "node:assert/strict";
import type { PlanCheck } from "./types.ts";

function range(cidr: string): [number, number, number] {
  const [ip, bits] = cidr.split("/");
  const n = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return [n, n + size - 1, Number(bits)];
}

export const checks: PlanCheck[] = [
  {
    name: "network plan: subnets lie inside the VPC, do not overlap, and are /28 or larger",
    units: "*/network",
    check(plan) {
      const [vLo, vHi] = range(plan.one("aws_vpc.this").cidr_block);
      const subnets = plan.ofType("aws_subnet").map((s) => String(s.change.after!.cidr_block));
      const ranges = subnets.map(range);
      for (const [i, [lo, hi, bits]] of ranges.entries()) {
        assert.ok(lo >= vLo && hi <= vHi, `${subnets[i]} is outside the VPC`);
        assert.ok(bits <= 28, `${subnets[i]} is smaller than /28`);
        for (const [j, [lo2, hi2]] of ranges.entries()) if (i < j) assert.ok(hi < lo2 || hi2 < lo, `${subnets[i]} overlaps ${subnets[j]}`);
      }
    },
  },
];
