locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules//eks"
}

inputs = {
  cluster_name       = local.env.name
  vpc_id             = dependency.network.outputs.vpc_id
  private_subnet_ids = dependency.network.outputs.private_subnet_ids
  # People: admins and the read-only on-call (README, "Who can do what").
  cluster_admin_arns = local.env.admin_role_arns
  oncall_view_arns   = local.env.oncall_role_arns
}

# prevent_destroy where env.hcl asks (prod): the control-plane log group.
# docs/deploy-aws.md, "Deletion protection".
generate "prevent_destroy" {
  path      = "prevent_destroy_override.tf"
  if_exists = "overwrite_terragrunt"
  disable   = !local.env.prevent_destroy
  contents  = <<EOF
resource "aws_cloudwatch_log_group" "cluster" {
  lifecycle {
    prevent_destroy = true
  }
}
EOF
}
