// modules/eks as planned: DNS that can start on Fargate, metrics for the
// HPA, add-ons and nodes that follow the cluster version, a version in
// standard support, and an API endpoint that is not open to the internet.

import assert from "node:assert/strict";
import type { PlanCheck } from "./types.ts";

/** End of EKS standard support (EKS version calendar). */
export const STANDARD_SUPPORT_ENDS: Record<string, string> = {
  "1.32": "2026-03-23",
  "1.33": "2026-07-29",
  "1.34": "2026-12-02",
  "1.35": "2027-03-27",
};

const addon = (name: string) => `aws_eks_addon.this["${name}"]`;

/** Whether one of the planned Fargate profiles selects a pod of namespace with these labels. */
function fargateSelects(profiles: Array<Record<string, any>>, namespace: string, labels: Record<string, string>): boolean {
  return profiles.some((p) => (p.selector ?? []).some((s: Record<string, any>) => s.namespace === namespace && Object.entries(s.labels ?? {}).every(([k, v]) => labels[k] === v)));
}

export const checks: PlanCheck[] = [
  {
    name: "eks plan: CoreDNS is an add-on asking for Fargate, and a Fargate profile takes its pods",
    units: "*/eks",
    check(plan) {
      const coredns = plan.one(addon("coredns"));
      assert.deepEqual(JSON.parse(String(coredns.configuration_values)), { computeType: "Fargate" });
      const profiles = plan.ofType("aws_eks_fargate_profile").map((p) => p.change.after ?? {});
      assert.ok(fargateSelects(profiles, "kube-system", { "k8s-app": "kube-dns" }), "no Fargate profile selects CoreDNS");
    },
  },
  {
    name: "eks plan: metrics-server (for the inventory HPA) is an add-on with a Fargate profile for its pods",
    units: "*/eks",
    check(plan) {
      plan.one(addon("metrics-server"));
      const profiles = plan.ofType("aws_eks_fargate_profile").map((p) => p.change.after ?? {});
      assert.ok(fargateSelects(profiles, "kube-system", { "app.kubernetes.io/name": "metrics-server" }), "no Fargate profile selects metrics-server");
    },
  },
  {
    name: "eks plan: a version in standard support, STANDARD upgrade policy, add-ons and nodes pinned to it",
    units: "*/eks",
    check(plan) {
      const cluster = plan.one("aws_eks_cluster.this");
      const ends = STANDARD_SUPPORT_ENDS[cluster.version];
      const newest = Object.keys(STANDARD_SUPPORT_ENDS).at(-1)!;
      assert.ok(ends ? new Date(ends) > new Date() : Number(cluster.version.split(".")[1]) > Number(newest.split(".")[1]), `Kubernetes ${cluster.version} is past standard support (${ends}): upgrade (docs/deploy-aws.md, upgrade runbook)`);
      assert.deepEqual(cluster.upgrade_policy, [{ support_type: "STANDARD" }]);
      for (const name of ["vpc-cni", "kube-proxy", "coredns", "metrics-server"]) {
        const a = plan.one(addon(name));
        assert.equal(a.resolve_conflicts_on_create, "OVERWRITE", `${name} must take over the self-managed one`);
        assert.ok(typeof a.addon_version === "string" && a.addon_version.length > 0, `${name} has no version`);
      }
      const ng = plan.one("aws_eks_node_group.pricing[0]");
      assert.equal(ng.version, cluster.version, "the node group follows the control plane's version");
      assert.ok(typeof ng.release_version === "string" && ng.release_version.length > 0, "the node group's AMI release is pinned");
    },
  },
  {
    name: "eks plan: the cluster admits the deploy action's security group on 443 (its only way to a private endpoint)",
    units: "*/eks",
    check(plan, unit) {
      assert.equal(plan.one("aws_security_group.deploy").vpc_id, unit.values.vpc_id);
      const rule = plan.one("aws_vpc_security_group_ingress_rule.api_from_deploy");
      assert.deepEqual([rule.ip_protocol, rule.from_port, rule.to_port], ["tcp", 443, 443]);
      const unknown = plan.changes.find((c) => c.address === "aws_vpc_security_group_ingress_rule.api_from_deploy")!.change.after_unknown ?? {};
      assert.equal(unknown.security_group_id, true, "the rule is on the cluster security group EKS creates");
    },
  },
  {
    name: "eks plan: dev's public endpoint answers only given CIDRs, never 0.0.0.0/0",
    units: "dev/eks",
    check(plan) {
      const vpc = plan.one("aws_eks_cluster.this").vpc_config[0];
      assert.equal(vpc.endpoint_public_access, true);
      assert.ok(vpc.public_access_cidrs.length > 0);
      assert.ok(!vpc.public_access_cidrs.includes("0.0.0.0/0"), `open to the internet: ${vpc.public_access_cidrs}`);
    },
  },
  {
    name: "eks plan: prod's endpoint is private, and people reach it through the Session Manager host",
    units: "prod/eks",
    check(plan) {
      assert.equal(plan.one("aws_eks_cluster.this").vpc_config[0].endpoint_public_access, false);
      const host = plan.one("aws_instance.admin_host[0]");
      assert.equal(host.associate_public_ip_address ?? false, false);
      assert.deepEqual(host.metadata_options?.[0]?.http_tokens, "required");
      const rule = plan.one("aws_vpc_security_group_ingress_rule.api_from_admin_host[0]");
      assert.deepEqual([rule.ip_protocol, rule.from_port, rule.to_port], ["tcp", 443, 443]);
      const attached = plan.ofType("aws_iam_role_policy_attachment").map((r) => r.change.after?.policy_arn);
      assert.ok(attached.includes("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"));
    },
  },
];
