locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  name               = local.env.name
  inventory_role_arn = dependency.irsa.outputs.inventory_role_arn
}
