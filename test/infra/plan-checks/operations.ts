// Running it safely for years, as the plans show it: prod deploys the
// digests dev built (no docker in prod's build project), the pipeline may
// edit only its namespace, people get admin and read-only on-call entries,
// prod's stateful resources carry prevent_destroy, a failed pipeline pages,
// scan findings and the budget reach the notices topic. Every check has broken copies that it must
// reject (test/infra/plan.test.ts runs them).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tokensSecretName } from "../../../scripts/render/manifests.ts";
import { ROOT } from "../../helpers/infra-checks.ts";
import type { Plan, PlanJson, ResourceChange } from "../../helpers/plan.ts";
import type { ResolvedUnit } from "../../helpers/terragrunt.ts";
import type { PlanCheck } from "./types.ts";

/** The planned (or, for a data source read at plan time, the read) values of an address in a plan JSON, to break. */
function after(json: PlanJson, address: string): Record<string, any> {
  const change = json.resource_changes?.find((c) => c.address === address)?.change.after;
  const read = (json.prior_state as any)?.values?.root_module?.resources?.find((r: any) => r.address === address)?.values;
  const found = change ?? read;
  if (!found) throw new Error(`${address} is not in the plan JSON`);
  return found;
}

/** Attributes of a planned resource whose values are known only after apply (such as the ARN of a topic the same plan creates). */
function unknownAfterPlan(plan: Plan, address: string): Record<string, any> {
  return plan.changes.find((c) => c.address === address)?.change.after_unknown ?? {};
}

/** Statements of an IAM policy planned as a JSON string (a key, role or registry policy). */
interface JsonStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
function policyStatements(text: string): JsonStatement[] {
  const st = JSON.parse(text).Statement as JsonStatement | JsonStatement[];
  return Array.isArray(st) ? st : [st];
}

const ACCESS_POLICY = "arn:aws:eks::aws:cluster-access-policy/";

// ---------- build once, promote by digest ----------

const promotion: PlanCheck = {
  name: "pipeline plan: prod's build project promotes dev's digests (buildspec-promote.yml, unprivileged, no ECR push); dev's builds",
  units: "*/pipeline",
  check(plan, unit) {
    const project = plan.one("aws_codebuild_project.this");
    const promotes = unit.env === "prod";
    assert.equal(project.source[0].buildspec, promotes ? "buildspec-promote.yml" : "buildspec.yml");
    assert.equal(project.environment[0].privileged_mode, !promotes, promotes ? "prod must not be able to run docker" : "dev builds images");
    const allowed = plan.allowed("data.aws_iam_policy_document.codebuild");
    assert.equal(allowed.has("ecr:PutImage"), !promotes, promotes ? "prod's build must not push images" : "dev pushes");
    if (promotes) assert.ok(allowed.has("ecr:DescribeImages"), "prod looks up the digests");
  },
  broken: [
    { name: "prod runs buildspec.yml", edit: (j, u) => ((u.env = "prod"), (after(j, "aws_codebuild_project.this").source[0].buildspec = "buildspec.yml")) },
    { name: "prod in privileged mode", edit: (j, u) => { u.env = "prod"; const p = after(j, "aws_codebuild_project.this"); p.source[0].buildspec = "buildspec-promote.yml"; p.environment[0].privileged_mode = true; } },
  ],
};

/** Account of an environment (live/<env>/account.hcl). */
function accountOf(env: string): string {
  return /account_id\s*=\s*"(\d{12})"/.exec(readFileSync(join(ROOT, "live", env, "account.hcl"), "utf8"))![1];
}

const replication: PlanCheck = {
  name: "ecr plan: dev's registry replicates to prod's account, whose registry policy admits dev's account only and whose images expire by age, not count",
  units: "*/ecr",
  check(plan, unit) {
    if (unit.env === "dev") {
      const rules = plan.one("aws_ecr_replication_configuration.this[0]").replication_configuration[0].rule as Array<Record<string, any>>;
      const destinations = rules.flatMap((r) => r.destination as Array<{ region: string; registry_id: string }>);
      assert.ok(destinations.some((d) => d.registry_id === accountOf("prod")), `no destination in prod's account ${accountOf("prod")}: ${JSON.stringify(destinations)}`);
      assert.deepEqual(rules.flatMap((r) => r.repository_filter.map((f: any) => f.filter)), ["stockprice/"]);
    } else {
      const statements = policyStatements(plan.one("aws_ecr_registry_policy.this[0]").policy);
      assert.deepEqual(statements.flatMap((s) => list(s.Principal?.AWS)), [`arn:aws:iam::${accountOf("dev")}:root`]);
      assert.deepEqual(statements.flatMap((s) => list(s.Action)).sort(), ["ecr:CreateRepository", "ecr:ReplicateImage"]);
      // Every dev build arrives here: a count would expire the release prod runs.
      for (const r of plan.ofType("aws_ecr_lifecycle_policy")) {
        const selection = JSON.parse(r.change.after!.policy).rules.map((rule: any) => rule.selection);
        assert.ok(selection.every((x: any) => x.countType === "sinceImagePushed" && x.countNumber >= 90), `${r.address} expires by ${JSON.stringify(selection)}, not by age`);
      }
    }
  },
  broken: [
    { name: "replication to the wrong account", edit: (j, u) => { if (u.env === "dev") after(j, "aws_ecr_replication_configuration.this[0]").replication_configuration[0].rule[0].destination = [{ region: "eu-west-1", registry_id: "999999999999" }]; else u.env = "dev"; } },
    { name: "prod expires its images by count", edit: (j, u) => { u.env = "prod"; for (const r of j.resource_changes!.filter((c) => c.type === "aws_ecr_lifecycle_policy")) r.change.after!.policy = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 100 }, action: { type: "expire" } }] }); } },
    { name: "prod admits any account", edit: (j, u) => { u.env = "prod"; const r = j.resource_changes!.find((c) => c.address === "aws_ecr_registry_policy.this[0]"); if (r) r.change.after!.policy = r.change.after!.policy.replaceAll(`arn:aws:iam::${accountOf("dev")}:root`, "*"); } },
  ],
};

// ---------- scoped access ----------

const access: PlanCheck = {
  name: "pipeline plan: the deploy role has AmazonEKSEditPolicy in the stockprice namespace only, not cluster admin",
  units: "*/pipeline",
  check(plan) {
    const a = plan.one("aws_eks_access_policy_association.deploy");
    assert.equal(a.policy_arn, `${ACCESS_POLICY}AmazonEKSEditPolicy`);
    assert.deepEqual(a.access_scope, [{ type: "namespace", namespaces: ["stockprice"] }]);
    // The bootstrap Role (manifests/bootstrap) grants this group the custom kinds.
    assert.deepEqual(plan.one("aws_eks_access_entry.deploy").kubernetes_groups, ["stockprice-deployers"]);
  },
  broken: [
    { name: "cluster admin", edit: (j) => (after(j, "aws_eks_access_policy_association.deploy").policy_arn = `${ACCESS_POLICY}AmazonEKSClusterAdminPolicy`) },
    { name: "cluster scope", edit: (j) => (after(j, "aws_eks_access_policy_association.deploy").access_scope = [{ type: "cluster", namespaces: [] }]) },
  ],
};

const people: PlanCheck = {
  name: "eks plan: the admin roles are cluster admins, the on-call roles read-only (AmazonEKSViewPolicy), from env.hcl",
  units: "*/eks",
  check(plan, unit) {
    const env = unit.locals.env as Record<string, string[]>;
    for (const [kind, arns, policy] of [["admin", env.admin_role_arns, "AmazonEKSClusterAdminPolicy"], ["oncall", env.oncall_role_arns, "AmazonEKSViewPolicy"]] as const) {
      assert.ok(arns.length > 0, `env.hcl names no ${kind} role`);
      for (const arn of arns) {
        const a = plan.one(`aws_eks_access_policy_association.${kind}["${arn}"]`);
        assert.equal(a.policy_arn, `${ACCESS_POLICY}${policy}`, `${kind} ${arn}`);
        assert.ok(plan.has(`aws_eks_access_entry.${kind}["${arn}"]`), `no access entry for ${arn}`);
      }
    }
  },
  broken: [
    { name: "on-call with edit rights", edit: (j, u) => (after(j, `aws_eks_access_policy_association.oncall["${(u.locals.env as any).oncall_role_arns[0]}"]`).policy_arn = `${ACCESS_POLICY}AmazonEKSEditPolicy`) },
  ],
};

// ---------- deletion protection ----------

/** Resource types that hold data or identity a destroy would lose. */
export const STATEFUL = ["aws_sqs_queue", "aws_ecr_repository", "aws_cloudwatch_log_group", "aws_secretsmanager_secret", "aws_s3_bucket_policy", "aws_s3_bucket_versioning"];
const NOT_STATE = /^aws_s3_bucket_versioning\.artifacts$/; // the pipeline's artifacts expire after 30 days

/** type.name of every resource the unit's generated override files give prevent_destroy = true. */
export function protectedResources(unit: ResolvedUnit): Set<string> {
  const out = new Set<string>();
  for (const [path, text] of Object.entries(unit.generated)) {
    if (!path.endsWith("_override.tf")) continue;
    for (const m of text.matchAll(/resource\s+"(\w+)"\s+"(\w+)"\s*\{\s*lifecycle\s*\{\s*prevent_destroy\s*=\s*true\s*\}\s*\}/g)) out.add(`${m[1]}.${m[2]}`);
  }
  return out;
}

const stateful = (plan: Plan): ResourceChange[] => plan.resources.filter((r) => STATEFUL.includes(r.type) && !NOT_STATE.test(`${r.type}.${r.name}`));

const protect: PlanCheck = {
  name: "prod plans: every stateful resource (queues, ECR repositories, log groups, the tokens secret, the state bucket guard) has prevent_destroy",
  units: "prod/*",
  check(plan, unit) {
    const guarded = protectedResources(unit);
    const open = stateful(plan).filter((r) => !guarded.has(`${r.type}.${r.name}`)).map((r) => r.address);
    assert.deepEqual(open, [], `live/${unit.id}: no prevent_destroy on ${open.join(", ")}`);
  },
  broken: [
    { name: "the override file not generated", edit: (j, u) => { delete u.generated["prevent_destroy_override.tf"]; j.resource_changes!.push({ address: "aws_sqs_queue.this", mode: "managed", type: "aws_sqs_queue", name: "this", change: { actions: ["create"], after: {} } }); } },
    { name: "a new log group without protection", edit: (j) => j.resource_changes!.push({ address: "aws_cloudwatch_log_group.new", mode: "managed", type: "aws_cloudwatch_log_group", name: "new", change: { actions: ["create"], after: {} } }) },
  ],
};

const protectedUnits: PlanCheck = {
  name: "prod plans: the queues, ECR repositories, tokens secret and state bucket units are protected; dev's can be torn down",
  units: "*/queue",
  check(plan, unit) {
    const guarded = protectedResources(unit);
    if (unit.env === "prod") for (const a of ["aws_sqs_queue.this", "aws_sqs_queue.dlq", "aws_sqs_queue.price"]) assert.ok(guarded.has(a), `${a} unprotected in prod`);
    else assert.equal(guarded.size, 0, "dev generates no prevent_destroy: it can be torn down");
    assert.ok(plan.resources.length > 0);
  },
  broken: [{ name: "prod without the override", edit: (_j, u) => { u.env = "prod"; u.generated = {}; } }],
};

// ---------- scan findings and the budget ----------

const TOPIC = 'data.aws_iam_policy_document.topic["alerts"]';
const NOTICES = 'data.aws_iam_policy_document.topic["notices"]';
const KEY = "aws_kms_key.topic[0]";

/** The topic's policy (alerts: TOPIC, notices: NOTICES) lets the service publish, and the topics' key policy lets it encrypt. */
function servicePublishes(plan: Plan, service: string, topicPolicy = TOPIC): boolean {
  const topic = plan.statements(topicPolicy).some((s) => (s.actions ?? []).includes("sns:Publish") && (s.principals ?? []).some((p) => p.type === "Service" && p.identifiers.includes(service)));
  const key = policyStatements(plan.one(KEY).policy).some((s) => s.Effect === "Allow" && ["kms:GenerateDataKey*", "kms:Decrypt"].every((a) => list(s.Action).includes(a)) && list(s.Principal?.Service).includes(service));
  return topic && key;
}

/**
 * A topic this plan creates receives it: the ARN is set, known only after
 * apply. Which of the two (alerts pages, notices does not) is asserted by
 * modules/alarms/tests/routing.tftest.hcl, where the ARNs are fixed.
 */
function toTheTopic(plan: Plan, unknown: unknown): void {
  assert.deepEqual(plan.ofType("aws_sns_topic").map((t) => t.address).sort(), ['aws_sns_topic.this["alerts"]', 'aws_sns_topic.this["notices"]'], "the alerts topic and the notices topic");
  assert.equal(unknown, true, "not sent to a topic this plan creates");
}

const scanFindings: PlanCheck = {
  name: "alarms plan: HIGH and CRITICAL image scan findings reach the notices topic (never paged) through EventBridge (topic and key policies let events.amazonaws.com publish)",
  units: "*/alarms",
  check(plan) {
    const pattern = JSON.parse(plan.one('aws_cloudwatch_event_rule.this["image-scan-findings"]').event_pattern);
    assert.deepEqual([pattern.source, pattern["detail-type"]], [["aws.ecr"], ["ECR Image Scan"]]);
    const severities = (pattern.detail.$or as Array<Record<string, any>>).map((o) => Object.entries(o["finding-severity-counts"])[0]);
    assert.deepEqual(severities.map(([s]) => s).sort(), ["CRITICAL", "HIGH"]);
    for (const [, cond] of severities) assert.deepEqual(cond, [{ numeric: [">", 0] }]);
    toTheTopic(plan, unknownAfterPlan(plan, 'aws_cloudwatch_event_target.this["image-scan-findings"]').arn);
    assert.equal(plan.one('aws_cloudwatch_event_target.this["image-scan-findings"]').target_id, "notices-topic");
    assert.ok(servicePublishes(plan, "events.amazonaws.com", NOTICES), "events.amazonaws.com cannot publish to the encrypted notices topic");
  },
  broken: [
    { name: "CRITICAL only", edit: (j) => { const r = after(j, 'aws_cloudwatch_event_rule.this["image-scan-findings"]'); const p = JSON.parse(r.event_pattern); p.detail.$or = p.detail.$or.filter((o: any) => !o["finding-severity-counts"].HIGH); r.event_pattern = JSON.stringify(p); } },
    { name: "no KMS grant for EventBridge", edit: (j) => { const k = after(j, KEY); k.policy = k.policy.replaceAll('"events.amazonaws.com"', '"cloudwatch.amazonaws.com"'); } },
    { name: "a target that is not the topic", edit: (j) => { const t = j.resource_changes!.find((c) => c.address === 'aws_cloudwatch_event_target.this["image-scan-findings"]')!; t.change.after!.arn = "arn:aws:sqs:eu-west-1:111111111111:elsewhere"; t.change.after_unknown = {}; } },
  ],
};

const pipelineFailures: PlanCheck = {
  name: "alarms plan: a FAILED execution of the environment's pipeline and a FAILED build of its project page (EventBridge to the alerts topic, which events.amazonaws.com may publish to)",
  units: "*/alarms",
  check(plan, unit) {
    const name = String(unit.values.name_prefix);
    const pipeline = JSON.parse(plan.one('aws_cloudwatch_event_rule.this["pipeline-failed"]').event_pattern);
    assert.deepEqual(pipeline, { source: ["aws.codepipeline"], "detail-type": ["CodePipeline Pipeline Execution State Change"], detail: { pipeline: [name], state: ["FAILED"] } });
    const build = JSON.parse(plan.one('aws_cloudwatch_event_rule.this["build-failed"]').event_pattern);
    assert.deepEqual(build, { source: ["aws.codebuild"], "detail-type": ["CodeBuild Build State Change"], detail: { "project-name": [`${name}-build`], "build-status": ["FAILED"] } });
    for (const t of ['this["pipeline-failed"]', 'this["build-failed"]']) {
      toTheTopic(plan, unknownAfterPlan(plan, `aws_cloudwatch_event_target.${t}`).arn);
      assert.equal(plan.one(`aws_cloudwatch_event_target.${t}`).target_id, "alerts-topic");
    }
    assert.ok(servicePublishes(plan, "events.amazonaws.com"), "events.amazonaws.com cannot publish to the alerts topic");
  },
  broken: [
    { name: "another pipeline's failures", edit: (j) => { const r = after(j, 'aws_cloudwatch_event_rule.this["pipeline-failed"]'); r.event_pattern = r.event_pattern.replace(/"pipeline":\["[^"]+"\]/, '"pipeline":["someone-else"]'); } },
    { name: "SUCCEEDED instead of FAILED builds", edit: (j) => { const r = after(j, 'aws_cloudwatch_event_rule.this["build-failed"]'); r.event_pattern = r.event_pattern.replace("FAILED", "SUCCEEDED"); } },
    { name: "no topic policy for EventBridge on the alerts topic", edit: (j) => { const d = after(j, TOPIC); d.statement = d.statement.filter((s: any) => !(s.principals ?? []).some((p: any) => p.identifiers.includes("events.amazonaws.com"))); } },
  ],
};

const budget: PlanCheck = {
  name: "alarms plan: a monthly AWS Budgets cost budget of env.hcl's amount notifies the notices topic (budgets.amazonaws.com may publish)",
  units: "*/alarms",
  check(plan, unit) {
    const b = plan.one("aws_budgets_budget.monthly");
    assert.deepEqual([b.budget_type, b.time_unit, b.limit_unit], ["COST", "MONTHLY", "USD"]);
    assert.equal(Number(b.limit_amount), Number(unit.values.monthly_budget_usd));
    const kinds = (b.notification as Array<Record<string, any>>).map((n) => `${n.notification_type}>${n.threshold}%`).sort();
    assert.deepEqual(kinds, ["ACTUAL>80%", "FORECASTED>100%"]);
    for (const n of unknownAfterPlan(plan, "aws_budgets_budget.monthly").notification as Array<Record<string, unknown>>) toTheTopic(plan, n.subscriber_sns_topic_arns);
    assert.ok(servicePublishes(plan, "budgets.amazonaws.com", NOTICES), "budgets.amazonaws.com cannot publish to the encrypted notices topic");
  },
  broken: [
    { name: "another amount", edit: (j) => (after(j, "aws_budgets_budget.monthly").limit_amount = "1.00") },
    { name: "no topic policy for Budgets", edit: (j) => { const d = after(j, NOTICES); d.statement = d.statement.filter((s: any) => !(s.principals ?? []).some((p: any) => p.identifiers.includes("budgets.amazonaws.com"))); } },
  ],
};

// ---------- tokens and the autoscaler ----------

const tokens: PlanCheck = {
  name: "tokens plan: the secret is the one the rendered ExternalSecret reads, and the inventory role may read only it",
  units: "*/tokens",
  check(plan, unit) {
    assert.equal(plan.one("aws_secretsmanager_secret.this").name, tokensSecretName(unit.env as "dev" | "prod"));
    const allowed = plan.allowed("data.aws_iam_policy_document.read");
    assert.deepEqual([...allowed.keys()].sort(), ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
    assert.equal(plan.one("aws_iam_role_policy.read").role, String(unit.values.inventory_role_arn).split("/").pop());
  },
  broken: [{ name: "a secret the render does not read", edit: (j) => (after(j, "aws_secretsmanager_secret.this").name = "stockprice/tokens") }],
};

const autoscaler: PlanCheck = {
  name: "autoscaler plan: IRSA for kube-system:cluster-autoscaler; it may scale only groups this cluster owns",
  units: "*/autoscaler",
  check(plan, unit) {
    const trust = policyStatements(plan.one("module.role.aws_iam_role.this").assume_role_policy);
    const subjects = trust.flatMap((s) => Object.entries(s.Condition?.StringEquals ?? {}).filter(([k]) => k.endsWith(":sub")).flatMap(([, v]) => list(v)));
    assert.deepEqual(subjects, ["system:serviceaccount:kube-system:cluster-autoscaler"]);
    const scale = policyStatements(plan.one('module.role.aws_iam_role_policy.this["cluster-autoscaler"]').policy).filter((s) => list(s.Action).includes("autoscaling:SetDesiredCapacity"));
    assert.ok(scale.length > 0, "the autoscaler cannot scale");
    for (const s of scale) {
      assert.deepEqual(list(s.Condition?.StringEquals?.[`aws:ResourceTag/k8s.io/cluster-autoscaler/${unit.values.cluster_name}`]), ["owned"], "SetDesiredCapacity not limited to groups this cluster owns");
    }
  },
  broken: [
    {
      name: "scaling any group",
      edit: (j) => {
        const p = after(j, 'module.role.aws_iam_role_policy.this["cluster-autoscaler"]');
        const doc = JSON.parse(p.policy);
        for (const st of doc.Statement) delete st.Condition;
        p.policy = JSON.stringify(doc);
      },
    },
  ],
};

export const checks: PlanCheck[] = [promotion, replication, access, people, protect, protectedUnits, scanFindings, pipelineFailures, budget, tokens, autoscaler];
