// modules/pipeline as planned: the EKS deploy action can reach and deploy
// to the cluster, prod deploys releases, the build cache and the policy of
// the environment are wired.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "../../helpers/infra-checks.ts";
import type { Plan, PlannedStatement } from "../../helpers/plan.ts";
import type { PlanCheck } from "./types.ts";

/** "Service role policy permissions" of the CodePipeline EKS action reference. */
export const EKS_ACTION_READ = ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"];

const ROLE = "data.aws_iam_policy_document.codepipeline";

function stages(plan: Plan): Array<Record<string, any>> {
  return plan.one("aws_codepipeline.this").stage as Array<Record<string, any>>;
}

function deployAction(plan: Plan): { after: Record<string, any> } {
  return { after: stages(plan).find((s) => s.name === "Deploy")!.action[0] };
}

function subnetCondition(s: PlannedStatement): string[] {
  return (s.condition ?? []).filter((c) => c.variable === "ec2:Subnet").flatMap((c) => c.values);
}

export const checks: PlanCheck[] = [
  {
    name: "pipeline plan: the pipeline role holds the EKS deploy action's documented permissions, ENIs only in the deploy subnets",
    units: "*/pipeline",
    check(plan, unit) {
      const allowed = plan.allowed(ROLE);
      assert.deepEqual(allowed.get("eks:DescribeCluster")?.[0].resources, [unit.values.cluster_arn]);
      for (const a of EKS_ACTION_READ) assert.ok(allowed.has(a), `pipeline role lacks ${a}`);
      const { account_id } = unit.locals.account as Record<string, string>;
      const { aws_region } = unit.locals.region as Record<string, string>;
      const subnets = (unit.values.deploy_subnet_ids as string[]).map((s) => `arn:aws:ec2:${aws_region}:${account_id}:subnet/${s}`);
      for (const a of ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:CreateNetworkInterfacePermission"]) {
        const s = allowed.get(a);
        assert.ok(s, `pipeline role lacks ${a} (private cluster: the action's compute joins the VPC)`);
        assert.deepEqual(subnetCondition(s[0]).sort(), subnets.sort(), `${a} must be limited to the deploy subnets`);
      }
    },
  },
  {
    name: "pipeline plan: the deploy logs go to the log group CodePipeline compute writes, /aws/codepipeline/<pipeline>, created with a retention",
    units: "*/pipeline",
    check(plan) {
      const name = plan.one("aws_codepipeline.this").name as string;
      const logs = plan.allowed(ROLE).get("logs:PutLogEvents")!.flatMap((s) => s.resources ?? []);
      assert.ok(logs.some((r) => r.endsWith(`:log-group:/aws/codepipeline/${name}:*`)), `no log permission on /aws/codepipeline/${name}: ${logs}`);
      const group = plan.ofType("aws_cloudwatch_log_group").map((g) => g.change.after ?? {}).find((g) => g.name === `/aws/codepipeline/${name}`);
      assert.ok(group, `no log group /aws/codepipeline/${name} is created: the deploy action would create it with no retention`);
      assert.ok(Number(group.retention_in_days) > 0, `/aws/codepipeline/${name} has no retention`);
    },
  },
  {
    name: "pipeline plan: the deploy action carries the cluster's subnets and the deploy security group",
    units: "*/pipeline",
    check(plan, unit) {
      const { after } = deployAction(plan);
      assert.equal(after.provider, "EKS");
      assert.equal(after.configuration?.Subnets, (unit.values.deploy_subnet_ids as string[]).join(","));
      assert.equal(after.configuration?.SecurityGroupIds, unit.values.deploy_security_group_id);
      assert.equal(after.configuration?.ClusterName, unit.values.cluster_name);
    },
  },
  {
    name: "pipeline plan: prod starts on release tags v*, behind a manual approval before the deploy",
    units: "prod/pipeline",
    check(plan) {
      const push = plan.one("aws_codepipeline.this").trigger[0].git_configuration[0].push[0];
      assert.deepEqual(push.tags?.[0]?.includes, ["v*"]);
      assert.deepEqual(push.branches ?? [], [], "a push to the branch must not deploy prod");
      assert.deepEqual(stages(plan).map((s) => s.name), ["Source", "Build", "Approve", "Deploy"]);
      assert.equal(stages(plan)[2].action[0].category, "Approval");
    },
  },
  {
    name: "pipeline plan: dev starts on pushes to main, with no approval",
    units: "dev/pipeline",
    check(plan) {
      const push = plan.one("aws_codepipeline.this").trigger[0].git_configuration[0].push[0];
      assert.deepEqual(push.branches?.[0]?.includes, ["main"]);
      assert.deepEqual(push.tags ?? [], []);
      assert.deepEqual(stages(plan).map((s) => s.name), ["Source", "Build", "Deploy"]);
    },
  },
  {
    name: "pipeline plan: the CodeBuild project has the cache buildspec.yml declares, and may look up its images",
    units: "*/pipeline",
    check(plan) {
      const spec = parse(readFileSync(join(ROOT, "buildspec.yml"), "utf8")) as { cache?: { paths?: string[] } };
      const cache = plan.one("aws_codebuild_project.this").cache?.[0];
      if ((spec.cache?.paths ?? []).length > 0) {
        assert.ok(cache && cache.type !== "NO_CACHE", "buildspec.yml declares a cache the project does not have");
        if (cache.type === "LOCAL") assert.ok(cache.modes.includes("LOCAL_CUSTOM_CACHE"), "LOCAL cache without LOCAL_CUSTOM_CACHE ignores the paths");
      }
      const find = plan.allowed("data.aws_iam_policy_document.codebuild").get("ecr:DescribeImages");
      assert.ok(find, "the build cannot see that a commit's images are already in ECR");
    },
  },
  {
    name: "pipeline plan: the render step gets the environment's own pricing policy",
    units: "*/pipeline",
    check(plan, unit) {
      const vars = plan.one("aws_codebuild_project.this").environment[0].environment_variable as Array<{ name: string; value: string }>;
      const policy = vars.find((v) => v.name === "PRICING_POLICY")?.value;
      assert.equal(policy, `live/${unit.env}/policy.yaml`);
      assert.ok(existsSync(join(ROOT, policy)), `${policy} does not exist`);
    },
  },
];
