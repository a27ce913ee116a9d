# Two topics, one shape: alerts, the one the on-call and the pager subscribe
# to (the queue alarms, a failed pipeline or build), and notices, what
# someone should read during working hours and never a page (image scan
# findings on every dev push, the budget's notifications). Both use the key
# of main.tf; each lets only its own publishers in, one statement each.

locals {
  topic_publishers = {
    alerts = [
      {
        sid      = "CloudWatchAlarms"
        service  = "cloudwatch.amazonaws.com"
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      },
      # A failed pipeline or build pages (events.tf).
      {
        sid      = "PipelineFailures"
        service  = "events.amazonaws.com"
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [for k, rule in aws_cloudwatch_event_rule.this : rule.arn if local.event_rules[k].topic == "alerts"]
      },
    ]
    notices = [
      {
        sid      = "ScanFindings"
        service  = "events.amazonaws.com"
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [for k, rule in aws_cloudwatch_event_rule.this : rule.arn if local.event_rules[k].topic == "notices"]
      },
      {
        sid      = "BudgetAlerts"
        service  = "budgets.amazonaws.com"
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      },
    ]
  }
}

resource "aws_sns_topic" "this" {
  for_each = toset(keys(local.topic_publishers))

  name              = "${var.name_prefix}-${each.key}"
  kms_master_key_id = var.kms_key_id == null ? aws_kms_key.topic[0].arn : var.kms_key_id
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  for_each = local.topic_publishers

  dynamic "statement" {
    for_each = each.value
    content {
      sid       = statement.value.sid
      actions   = ["sns:Publish"]
      resources = [aws_sns_topic.this[each.key].arn]

      principals {
        type        = "Service"
        identifiers = [statement.value.service]
      }

      condition {
        test     = statement.value.test
        variable = statement.value.variable
        values   = statement.value.values
      }
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  for_each = aws_sns_topic.this

  arn    = each.value.arn
  policy = data.aws_iam_policy_document.topic[each.key].json
}

# Addresses before the two topics were one map.
moved {
  from = aws_sns_topic.this
  to   = aws_sns_topic.this["alerts"]
}

moved {
  from = aws_sns_topic.notices
  to   = aws_sns_topic.this["notices"]
}

moved {
  from = aws_sns_topic_policy.this
  to   = aws_sns_topic_policy.this["alerts"]
}

moved {
  from = aws_sns_topic_policy.notices
  to   = aws_sns_topic_policy.this["notices"]
}
