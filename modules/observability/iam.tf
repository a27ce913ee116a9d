# IRSA roles for the two telemetry workloads rendered into
# observability.yaml: the metrics collector (ADOT, on Fargate) and the Fluent
# Bit DaemonSet on the pricing Spot nodes. Each may write only its own groups.

locals {
  telemetry_roles = {
    collector  = { service_account = var.collector_service_account, groups = [aws_cloudwatch_log_group.metrics.name] }
    fluent-bit = { service_account = var.fluent_bit_service_account, groups = [aws_cloudwatch_log_group.service["pricing"].name] }
  }
  # Each group and the streams in it; nothing else.
  telemetry_resources = { for k, r in local.telemetry_roles : k => flatten([for g in r.groups : ["${local.log_group_arn}:${g}", "${local.log_group_arn}:${g}:log-stream:*"]]) }
}

data "aws_iam_policy_document" "telemetry" {
  for_each = local.telemetry_roles

  statement {
    sid       = "WriteOwnLogGroups"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = local.telemetry_resources[each.key]
  }
}

module "telemetry_role" {
  source   = "../irsa-role"
  for_each = local.telemetry_roles

  name              = "${var.name_prefix}-${each.key}"
  oidc_provider_arn = var.oidc_provider_arn
  namespace         = var.telemetry_namespace
  service_account   = each.value.service_account
  inline_policies   = { logs = data.aws_iam_policy_document.telemetry[each.key].json }
  tags              = var.tags
}

# Addresses before the roles were written once in modules/irsa-role.
moved {
  from = aws_iam_role.telemetry["collector"]
  to   = module.telemetry_role["collector"].aws_iam_role.this
}

moved {
  from = aws_iam_role.telemetry["fluent-bit"]
  to   = module.telemetry_role["fluent-bit"].aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.telemetry["collector"]
  to   = module.telemetry_role["collector"].aws_iam_role_policy.this["logs"]
}

moved {
  from = aws_iam_role_policy.telemetry["fluent-bit"]
  to   = module.telemetry_role["fluent-bit"].aws_iam_role_policy.this["logs"]
}
