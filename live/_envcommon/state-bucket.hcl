locals {
  env     = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  account = read_terragrunt_config(find_in_parent_folders("account.hcl")).locals
  region  = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

inputs = {
  # The bucket live/root.hcl's remote_state names.
  bucket = "stockprice-tfstate-${local.account.account_id}-${local.region.aws_region}"
}
