locals {
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  cluster_name        = dependency.eks.outputs.cluster_name
  cluster_endpoint    = dependency.eks.outputs.cluster_endpoint
  cluster_ca_data     = dependency.eks.outputs.cluster_ca_data
  region              = local.region.aws_region
  autoscaler_role_arn = dependency.autoscaler.outputs.role_arn
  keda_enabled        = local.env.keda_enabled
  keda_role_arn       = dependency.irsa.outputs.keda_operator_role_arn
}
