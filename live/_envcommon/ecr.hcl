locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  repositories = ["inventory", "pricing"]
}
