# IRSA roles for the two telemetry workloads rendered into
# observability.yaml: the metrics collector (ADOT, on Fargate) and the Fluent
# Bit DaemonSet on the pricing Spot nodes. Each may write only its own groups.

locals {
  issuer = replace(var.oidc_issuer_url, "https://", "")
  telemetry_roles = {
    collector  = { service_account = var.collector_service_account, groups = [aws_cloudwatch_log_group.metrics.name] }
    fluent-bit = { service_account = var.fluent_bit_service_account, groups = [aws_cloudwatch_log_group.service["pricing"].name] }
  }
  # Each group and the streams in it; nothing else.
  telemetry_resources = { for k, r in local.telemetry_roles : k => flatten([for g in r.groups : ["${local.log_group_arn}:${g}", "${local.log_group_arn}:${g}:log-stream:*"]]) }
}

data "aws_iam_policy_document" "telemetry_trust" {
  for_each = local.telemetry_roles

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = ["system:serviceaccount:${var.telemetry_namespace}:${each.value.service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "telemetry" {
  for_each = local.telemetry_roles

  statement {
    sid       = "WriteOwnLogGroups"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = local.telemetry_resources[each.key]
  }
}

resource "aws_iam_role" "telemetry" {
  for_each = local.telemetry_roles

  name               = "${var.name_prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.telemetry_trust[each.key].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "telemetry" {
  for_each = local.telemetry_roles

  name   = "logs"
  role   = aws_iam_role.telemetry[each.key].id
  policy = data.aws_iam_policy_document.telemetry[each.key].json
}
