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
