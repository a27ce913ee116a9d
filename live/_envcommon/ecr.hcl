locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules//ecr"
}

inputs = {
  repositories = ["inventory", "pricing"]
}

# prevent_destroy where env.hcl asks (prod): docs/deploy-aws.md, "Deletion protection".
generate "prevent_destroy" {
  path      = "prevent_destroy_override.tf"
  if_exists = "overwrite_terragrunt"
  disable   = !local.env.prevent_destroy
  contents  = <<EOF
resource "aws_ecr_repository" "this" {
  lifecycle {
    prevent_destroy = true
  }
}
EOF
}
