locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules//irsa"
}

dependency "eks" {
  config_path = "${get_terragrunt_dir()}/../eks"

  mock_outputs = {
    cluster_name              = "stockprice-mock"
    cluster_arn               = "arn:aws:eks:eu-west-1:123456789012:cluster/stockprice-mock"
    cluster_endpoint          = "https://0000000000000000.gr7.eu-west-1.eks.amazonaws.com"
    oidc_provider_arn         = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000"
    oidc_issuer_url           = "https://oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000"
    cluster_security_group_id = "sg-00000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "queue" {
  config_path = "${get_terragrunt_dir()}/../queue"

  mock_outputs = {
    inventory_queue_arn = "arn:aws:sqs:eu-west-1:123456789012:inventory-update-queue"
    dlq_arn             = "arn:aws:sqs:eu-west-1:123456789012:inventory-update-dlq"
    price_queue_arn     = "arn:aws:sqs:eu-west-1:123456789012:price-change-queue"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  name_prefix         = local.env.name
  oidc_provider_arn   = dependency.eks.outputs.oidc_provider_arn
  oidc_issuer_url     = dependency.eks.outputs.oidc_issuer_url
  inventory_queue_arn = dependency.queue.outputs.inventory_queue_arn
  inventory_dlq_arn   = dependency.queue.outputs.dlq_arn
  price_queue_arn     = dependency.queue.outputs.price_queue_arn
  keda_enabled        = local.env.keda_enabled
}
