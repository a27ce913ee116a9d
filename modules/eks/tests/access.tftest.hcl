# Who reaches the cluster's API and what it logs: the public API endpoint is
# never open by accident; access entries plan as asked, one per principal
# (a role in both lists gets the admin one), and a run whose caller is also
# in cluster_admin_arns or oncall_view_arns is refused before anything is
# created (EKS gives the role that creates the cluster its own admin access
# entry, so the apply would otherwise fail with a 409 on the second entry);
# the logs go where they are kept. Run by npm test (test/infra/plan.test.ts),
# which adds offline provider settings.

variables {
  cluster_name        = "stockprice-test"
  vpc_id              = "vpc-00000000000000000"
  private_subnet_ids  = ["subnet-00000000000000001", "subnet-00000000000000002"]
  public_access_cidrs = ["198.51.100.0/24"]
  cluster_admin_arns  = ["arn:aws:iam::123456789012:role/ops/platform-admin", "arn:aws:iam::123456789012:user/alice"]
}

# The caller of most runs; the access-entry runs below each name their own.
override_data {
  target = data.aws_caller_identity.logging
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:root", user_id = "123456789012" }
}

override_data {
  target = data.aws_eks_addon_version.this
  values = { version = "v0.0.0-eksbuild.1" }
}

override_data {
  target = data.aws_ssm_parameter.node_release
  values = { value = "1.35.0-20261120" }
}

override_data {
  target = data.aws_ssm_parameter.admin_host_ami
  values = { value = "ami-00000000000000000" }
}

run "public_endpoint_needs_cidrs" {
  command = plan

  variables {
    public_access_cidrs = null
  }

  expect_failures = [aws_eks_cluster.this]
}

run "open_to_the_internet_refused" {
  command = plan

  variables {
    public_access_cidrs = ["198.51.100.0/24", "0.0.0.0/0"]
  }

  expect_failures = [aws_eks_cluster.this]
}

run "open_to_the_internet_when_said_so" {
  command = plan

  variables {
    public_access_cidrs     = ["0.0.0.0/0"]
    allow_api_from_anywhere = true
    cluster_admin_arns      = ["arn:aws:iam::123456789012:role/platform-admin"]
  }

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].public_access_cidrs == toset(["0.0.0.0/0"])
    error_message = "allow_api_from_anywhere = true opens the endpoint as asked."
  }

  assert {
    condition     = aws_eks_access_policy_association.admin["arn:aws:iam::123456789012:role/platform-admin"].policy_arn == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    error_message = "cluster_admin_arns get cluster admin access entries."
  }
}

# Logs: the control-plane group with its retention, the Fargate pod
# execution role's logs permissions, the collector's Fargate profile (one
# plan for all of them: each plan costs seconds).
run "logging_and_telemetry" {
  command = plan

  assert {
    condition     = aws_cloudwatch_log_group.cluster.name == "/aws/eks/stockprice-test/cluster"
    error_message = "the control-plane group is the one EKS writes to"
  }
  assert {
    condition     = aws_cloudwatch_log_group.cluster.retention_in_days == 30
    error_message = "the control-plane group must have a retention"
  }

  assert {
    condition = alltrue([for a in ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:PutRetentionPolicy"] :
    contains(jsondecode(data.aws_iam_policy_document.fargate_logs.json).Statement[0].Action, a)])
    error_message = "the pod execution role needs every action the EKS Fargate logging guide lists"
  }
  assert {
    condition     = jsondecode(data.aws_iam_policy_document.fargate_logs.json).Statement[0].Resource == "arn:aws:logs:eu-west-1:123456789012:log-group:/stockprice-test/*"
    error_message = "the logs permissions cover the cluster's service groups, not every group"
  }
  assert {
    condition     = aws_iam_role_policy.fargate_logs.name == "fargate-logging"
    error_message = "the policy is attached to the Fargate pod execution role"
  }

  assert {
    condition     = [for s in aws_eks_fargate_profile.this["telemetry"].selector : "${s.namespace}/${s.labels["app.kubernetes.io/name"]}"] == ["stockprice-telemetry/metrics-collector"]
    error_message = "the telemetry profile selects only the collector's pods"
  }
}

run "bad_retention_is_refused" {
  command = plan

  variables {
    log_retention_days = 10
  }

  expect_failures = [var.log_retention_days]
}

# The access entries: the caller of the apply is never one of the admins.
run "apply_role_in_admins_refused" {
  command = plan

  override_data {
    target = data.aws_caller_identity.logging
    values = { account_id = "123456789012", arn = "arn:aws:sts::123456789012:assumed-role/platform-admin/terraform", user_id = "AROAEXAMPLE:terraform" }
  }

  expect_failures = [aws_eks_cluster.this]
}

run "apply_user_in_admins_refused" {
  command = plan

  override_data {
    target = data.aws_caller_identity.logging
    values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/alice", user_id = "AIDAEXAMPLE" }
  }

  expect_failures = [aws_eks_cluster.this]
}

run "another_apply_role_plans_the_admin_entries" {
  command = plan

  override_data {
    target = data.aws_caller_identity.logging
    values = { account_id = "123456789012", arn = "arn:aws:sts::123456789012:assumed-role/terraform-apply/ci", user_id = "AROAEXAMPLE:ci" }
  }

  assert {
    condition     = length(aws_eks_access_entry.admin) == 2
    error_message = "every cluster_admin_arns principal gets an entry when the caller is not one of them"
  }
}

run "apply_role_in_oncall_refused" {
  command = plan

  variables {
    oncall_view_arns = ["arn:aws:iam::123456789012:role/terraform-apply"]
  }

  override_data {
    target = data.aws_caller_identity.logging
    values = { account_id = "123456789012", arn = "arn:aws:sts::123456789012:assumed-role/terraform-apply/ci", user_id = "AROAEXAMPLE:ci" }
  }

  expect_failures = [aws_eks_cluster.this]
}

# A role that is both admin and on-call gets one entry, the admin one; two
# entries for one principal would fail the apply with 409.
run "admin_and_oncall_role_gets_one_entry" {
  command = plan

  variables {
    oncall_view_arns = ["arn:aws:iam::123456789012:role/ops/platform-admin", "arn:aws:iam::123456789012:role/oncall-readonly"]
  }

  assert {
    condition     = keys(aws_eks_access_entry.oncall) == ["arn:aws:iam::123456789012:role/oncall-readonly"]
    error_message = "the on-call entries leave out the role that already has an admin entry"
  }

  assert {
    condition     = contains(keys(aws_eks_access_entry.admin), "arn:aws:iam::123456789012:role/ops/platform-admin")
    error_message = "the role in both lists keeps its admin entry"
  }

  assert {
    condition     = keys(aws_eks_access_policy_association.oncall) == ["arn:aws:iam::123456789012:role/oncall-readonly"]
    error_message = "the view policy is associated with the on-call entries that exist"
  }
}
