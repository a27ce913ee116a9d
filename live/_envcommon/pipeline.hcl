locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  name                = local.env.name
  keda_enabled        = local.env.keda_enabled
  repository          = local.env.repository
  branch              = local.env.branch
  release_tags        = local.env.release_tags
  manual_approval     = local.env.manual_approval
  deploy_env          = local.env.env
  cluster_name        = dependency.eks.outputs.cluster_name
  cluster_arn         = dependency.eks.outputs.cluster_arn
  ecr_repository_urls = dependency.ecr.outputs.repository_urls
  ecr_repository_arns = dependency.ecr.outputs.repository_arns
  inventory_role_arn  = dependency.irsa.outputs.inventory_role_arn
  pricing_role_arn    = dependency.irsa.outputs.pricing_role_arn
  inventory_queue_url = dependency.queue.outputs.inventory_queue_url
  price_queue_url     = dependency.queue.outputs.price_queue_url
  # The deploy action runs in the cluster's VPC (the private endpoint).
  deploy_subnet_ids        = dependency.network.outputs.private_subnet_ids
  deploy_security_group_id = dependency.eks.outputs.deploy_security_group_id
  ingress                  = merge(local.env.ingress, { waf_acl_arn = dependency.edge.outputs.web_acl_arn })
  # Prod deploys the digests dev built (buildspec-promote.yml).
  promote_from_digests = local.env.promote_from_digests
}
