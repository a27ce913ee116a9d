locals {
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
  env    = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

dependency "autoscaler" {
  config_path = "${get_terragrunt_dir()}/../autoscaler"

  mock_outputs = {
    role_arn = "arn:aws:iam::123456789012:role/stockprice-mock-cluster-autoscaler"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
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
