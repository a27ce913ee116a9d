locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  cluster_name       = local.env.name
  vpc_id             = dependency.network.outputs.vpc_id
  private_subnet_ids = dependency.network.outputs.private_subnet_ids
  # People: admins and the read-only on-call (README, "Who can do what").
  cluster_admin_arns = local.env.admin_role_arns
  oncall_view_arns   = local.env.oncall_role_arns
}
