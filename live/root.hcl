# Included by every unit: remote state, the provider, exact versions, and
# the tags every resource carries. Units live in live/<env>/<unit>; each
# environment is its own AWS account (account.hcl), region (region.hcl) and
# name (env.hcl).

locals {
  account = read_terragrunt_config(find_in_parent_folders("account.hcl")).locals
  region  = read_terragrunt_config(find_in_parent_folders("region.hcl")).locals
  env     = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals

  # A unit's folder names the module it deploys (modules/<unit>), but for
  # controllers, which installs the controllers-release module.
  unit   = basename(get_terragrunt_dir())
  module = lookup({ controllers = "controllers-release" }, local.unit, local.unit)

  # What a destroy must refuse where env.hcl sets prevent_destroy (prod), by
  # unit: docs/deploy-aws.md, "Deletion protection". Terraform's lifecycle
  # arguments take no variables, so the generate block below writes them.
  protected = lookup({
    "ecr"           = ["aws_ecr_repository.this"]
    "eks"           = ["aws_cloudwatch_log_group.cluster"]
    "observability" = ["aws_cloudwatch_log_group.service", "aws_cloudwatch_log_group.metrics"]
    "pipeline"      = ["aws_cloudwatch_log_group.build", "aws_cloudwatch_log_group.deploy"]
    "queue"         = ["aws_sqs_queue.dlq", "aws_sqs_queue.this", "aws_sqs_queue.price"]
    "state-bucket"  = ["aws_s3_bucket_policy.this", "aws_s3_bucket_versioning.this"]
    "tokens"        = ["aws_secretsmanager_secret.this"]
  }, local.unit, [])

  # The units whose outputs a unit reads: the dependency graph of live/<env>,
  # written once. Terragrunt applies a unit's needs before it and destroys
  # them after it; the dependency blocks below are enabled by this map.
  needs = lookup({
    "alarms"                = ["queue"]
    "autoscaler"            = ["eks"]
    "controllers"           = ["eks", "irsa", "autoscaler"]
    "eks"                   = ["network"]
    "irsa"                  = ["eks", "queue"]
    "lb-controller"         = ["eks", "network"]
    "lb-controller-release" = ["eks", "network", "lb-controller"]
    "observability"         = ["eks", "queue", "alarms"]
    "pipeline"              = ["eks", "network", "irsa", "queue", "ecr", "edge"]
    "tokens"                = ["irsa"]
  }, local.unit, [])
}

# One dependency block for each unit whose outputs others read. A plan
# before that unit exists sees its mock_outputs (shaped like the module's
# outputs; never for apply). A disabled block reads nothing and adds no edge
# to the graph.

dependency "network" {
  config_path = "${get_terragrunt_dir()}/../network"
  enabled     = contains(local.needs, "network")
  mock_outputs = {
    vpc_id             = "vpc-00000000000000000"
    private_subnet_ids = ["subnet-00000000000000001", "subnet-00000000000000002"]
    public_subnet_ids  = ["subnet-00000000000000003", "subnet-00000000000000004"]
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "eks" {
  config_path = "${get_terragrunt_dir()}/../eks"
  enabled     = contains(local.needs, "eks")
  mock_outputs = {
    cluster_name              = "stockprice-mock"
    cluster_arn               = "arn:aws:eks:eu-west-1:123456789012:cluster/stockprice-mock"
    cluster_endpoint          = "https://0000000000000000.gr7.eu-west-1.eks.amazonaws.com"
    cluster_ca_data           = "bW9jay1jYQ=="
    oidc_provider_arn         = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000"
    cluster_security_group_id = "sg-00000000000000000"
    deploy_security_group_id  = "sg-00000000000000001"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "queue" {
  config_path = "${get_terragrunt_dir()}/../queue"
  enabled     = contains(local.needs, "queue")
  mock_outputs = {
    inventory_queue_name = "inventory-update-queue"
    dlq_name             = "inventory-update-dlq"
    price_queue_name     = "price-change-queue"
    inventory_queue_arn  = "arn:aws:sqs:eu-west-1:123456789012:inventory-update-queue"
    dlq_arn              = "arn:aws:sqs:eu-west-1:123456789012:inventory-update-dlq"
    price_queue_arn      = "arn:aws:sqs:eu-west-1:123456789012:price-change-queue"
    inventory_queue_url  = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue"
    price_queue_url      = "https://sqs.eu-west-1.amazonaws.com/123456789012/price-change-queue"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "irsa" {
  config_path = "${get_terragrunt_dir()}/../irsa"
  enabled     = contains(local.needs, "irsa")
  mock_outputs = {
    inventory_role_arn     = "arn:aws:iam::123456789012:role/stockprice-mock-inventory"
    pricing_role_arn       = "arn:aws:iam::123456789012:role/stockprice-mock-pricing"
    keda_operator_role_arn = "arn:aws:iam::123456789012:role/stockprice-mock-keda-operator"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "alarms" {
  config_path  = "${get_terragrunt_dir()}/../alarms"
  enabled      = contains(local.needs, "alarms")
  mock_outputs = { topic_arn = "arn:aws:sns:eu-west-1:123456789012:stockprice-mock-alerts" }

  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "autoscaler" {
  config_path  = "${get_terragrunt_dir()}/../autoscaler"
  enabled      = contains(local.needs, "autoscaler")
  mock_outputs = { role_arn = "arn:aws:iam::123456789012:role/stockprice-mock-cluster-autoscaler" }

  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "ecr" {
  config_path = "${get_terragrunt_dir()}/../ecr"
  enabled     = contains(local.needs, "ecr")
  mock_outputs = {
    repository_urls = { inventory = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/stockprice/inventory", pricing = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/stockprice/pricing" }
    repository_arns = { inventory = "arn:aws:ecr:eu-west-1:123456789012:repository/stockprice/inventory", pricing = "arn:aws:ecr:eu-west-1:123456789012:repository/stockprice/pricing" }
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

# Before the edge unit exists: no WAF ACL, no name, no load balancer yet.
dependency "edge" {
  config_path = "${get_terragrunt_dir()}/../edge"
  enabled     = contains(local.needs, "edge")
  mock_outputs = {
    web_acl_arn            = ""
    fqdn                   = ""
    load_balancer_dns_name = ""
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

dependency "lb_controller" {
  config_path = "${get_terragrunt_dir()}/../lb-controller"
  enabled     = contains(local.needs, "lb-controller")
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

terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules//${local.module}"
}

terragrunt_version_constraint = ">= 0.80.0"

# The state bucket is created by Terragrunt on the first run if missing
# (it asks first; non-interactive runs pass --backend-bootstrap). One bucket
# per account and region; S3-native locking (use_lockfile), no DynamoDB.
remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket       = "stockprice-tfstate-${local.account.account_id}-${local.region.aws_region}"
    key          = "${path_relative_to_include()}/terraform.tfstate"
    region       = local.region.aws_region
    encrypt      = true
    use_lockfile = true
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<PROVIDER
provider "aws" {
  region              = "${local.region.aws_region}"
  allowed_account_ids = ["${local.account.account_id}"]

  default_tags {
    tags = {
      Project     = "stockprice"
      Environment = "${local.env.env}"
      ManagedBy   = "terragrunt"
    }
  }
}
PROVIDER
}

# prevent_destroy on the unit's protected resources, where env.hcl asks.
generate "prevent_destroy" {
  path      = "prevent_destroy_override.tf"
  if_exists = "overwrite_terragrunt"
  disable   = !local.env.prevent_destroy || length(local.protected) == 0
  contents  = templatefile("${dirname(find_in_parent_folders("root.hcl"))}/prevent-destroy.tftpl", { addresses = local.protected })
}

# Modules state lower bounds; the live layer pins exact versions.
generate "versions" {
  path      = "versions_override.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<VERSIONS
terraform {
  required_version = "1.11.4"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}
VERSIONS
}

# Every unit's tags, and the unit's entry of env.hcl's unit_inputs: what
# this environment sets beyond _envcommon (never a key _envcommon sets too;
# the offline checks refuse one).
inputs = merge({
  tags = {
    Project     = "stockprice"
    Environment = local.env.env
  }
}, lookup(local.env.unit_inputs, local.unit, {}))
