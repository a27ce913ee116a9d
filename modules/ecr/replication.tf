# Build once, promote by digest. Dev's registry replicates this project's
# repositories to prod's account (and optionally to a recovery region of its
# own); replication copies the image manifests unchanged, so prod finds the
# same digests dev tested, under the same commit tags. Prod's registry
# policy lets dev's account replicate into it. ECR allows one replication
# configuration per registry (account and region): this unit owns it.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  arn = "arn:${data.aws_partition.current.partition}"
  replication_destinations = concat(
    [for d in var.replicate_to_accounts : { region = d.region, registry_id = d.account_id }],
    [for r in var.replicate_to_regions : { region = r, registry_id = data.aws_caller_identity.current.account_id }],
  )
}

resource "aws_ecr_replication_configuration" "this" {
  count = length(local.replication_destinations) > 0 ? 1 : 0

  replication_configuration {
    rule {
      dynamic "destination" {
        for_each = local.replication_destinations
        content {
          region      = destination.value.region
          registry_id = destination.value.registry_id
        }
      }

      repository_filter {
        filter      = var.name_prefix
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}

data "aws_iam_policy_document" "registry" {
  count = length(var.replication_source_accounts) > 0 ? 1 : 0

  statement {
    sid       = "ReplicateFromSourceAccounts"
    actions   = ["ecr:CreateRepository", "ecr:ReplicateImage"]
    resources = ["${local.arn}:ecr:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:repository/${var.name_prefix}*"]

    principals {
      type        = "AWS"
      identifiers = [for a in var.replication_source_accounts : "${local.arn}:iam::${a}:root"]
    }
  }
}

resource "aws_ecr_registry_policy" "this" {
  count  = length(var.replication_source_accounts) > 0 ? 1 : 0
  policy = data.aws_iam_policy_document.registry[0].json
}
