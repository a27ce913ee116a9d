locals {
  env     = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  account = read_terragrunt_config(find_in_parent_folders("account.hcl")).locals
  region  = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules//state-bucket"
}

inputs = {
  # The bucket live/root.hcl's remote_state names.
  bucket = "stockprice-tfstate-${local.account.account_id}-${local.region.aws_region}"
}

# prevent_destroy where env.hcl asks (prod): docs/deploy-aws.md, "Deletion protection".
generate "prevent_destroy" {
  path      = "prevent_destroy_override.tf"
  if_exists = "overwrite_terragrunt"
  disable   = !local.env.prevent_destroy
  contents  = <<EOF
resource "aws_s3_bucket_policy" "this" {
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  lifecycle {
    prevent_destroy = true
  }
}
EOF
}
