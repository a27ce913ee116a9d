locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules//tokens"
}

inputs = {
  name               = local.env.name
  inventory_role_arn = dependency.irsa.outputs.inventory_role_arn
}

# prevent_destroy where env.hcl asks (prod): docs/deploy-aws.md, "Deletion protection".
generate "prevent_destroy" {
  path      = "prevent_destroy_override.tf"
  if_exists = "overwrite_terragrunt"
  disable   = !local.env.prevent_destroy
  contents  = <<EOF
resource "aws_secretsmanager_secret" "this" {
  lifecycle {
    prevent_destroy = true
  }
}
EOF
}
