# IAM (IRSA role + policy) and the Fargate profile of the AWS Load Balancer
# Controller. The Helm release is its own unit (lb-controller-release).

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  name_prefix        = local.env.name
  cluster_name       = dependency.eks.outputs.cluster_name
  oidc_provider_arn  = dependency.eks.outputs.oidc_provider_arn
  vpc_id             = dependency.network.outputs.vpc_id
  private_subnet_ids = dependency.network.outputs.private_subnet_ids
}
