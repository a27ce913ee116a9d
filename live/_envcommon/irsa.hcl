locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  name_prefix         = local.env.name
  oidc_provider_arn   = dependency.eks.outputs.oidc_provider_arn
  inventory_queue_arn = dependency.queue.outputs.inventory_queue_arn
  inventory_dlq_arn   = dependency.queue.outputs.dlq_arn
  price_queue_arn     = dependency.queue.outputs.price_queue_arn
  keda_enabled        = local.env.keda_enabled
}
