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

inputs = {
  tags = {
    Project     = "stockprice"
    Environment = local.env.env
  }
}
