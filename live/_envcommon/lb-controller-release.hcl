# The AWS Load Balancer Controller itself, installed with Helm. Depends on the
# cluster (whose CoreDNS must run on Fargate for the controller to resolve AWS
# endpoints) and on the controller's role and Fargate profile.
#
# The provider mirror used offline holds only hashicorp/aws: this unit's plan
# is skipped there (helm provider not in the mirror); it is parsed and
# graph-checked like every unit.

locals {
  region = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
}

# The module states a lower bound; the live layer pins the exact version.
generate "helm_versions" {
  path      = "versions_helm_override.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<VERSIONS
terraform {
  required_providers {
    helm = {
      source  = "hashicorp/helm"
      version = "3.0.2"
    }
  }
}
VERSIONS
}

dependency "lb_controller" {
  config_path = "${get_terragrunt_dir()}/../lb-controller"

  mock_outputs = {
    role_arn             = "arn:aws:iam::123456789012:role/stockprice-mock-lb-controller"
    role_name            = "stockprice-mock-lb-controller"
    policy_arn           = "arn:aws:iam::123456789012:policy/stockprice-mock-lb-controller"
    namespace            = "kube-system"
    service_account      = "aws-load-balancer-controller"
    fargate_profile_name = "lb-controller"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  cluster_name     = dependency.eks.outputs.cluster_name
  cluster_endpoint = dependency.eks.outputs.cluster_endpoint
  cluster_ca_data  = dependency.eks.outputs.cluster_ca_data
  vpc_id           = dependency.network.outputs.vpc_id
  region           = local.region.aws_region
  role_arn         = dependency.lb_controller.outputs.role_arn
  namespace        = dependency.lb_controller.outputs.namespace
  service_account  = dependency.lb_controller.outputs.service_account
}
