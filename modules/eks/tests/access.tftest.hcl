# EKS gives the role that creates the cluster its own admin access entry: a
# run whose caller is also in cluster_admin_arns is refused before anything
# is created (the apply would otherwise fail with a 409 on the second entry).
# Run by npm test (test/infra/plan.test.ts), which adds offline provider
# settings.

variables {
  cluster_name        = "stockprice-test"
  vpc_id              = "vpc-00000000000000000"
  private_subnet_ids  = ["subnet-00000000000000001", "subnet-00000000000000002"]
  public_access_cidrs = ["198.51.100.0/24"]
  cluster_admin_arns  = ["arn:aws:iam::123456789012:role/ops/platform-admin", "arn:aws:iam::123456789012:user/alice"]
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
