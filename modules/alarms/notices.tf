# The notices topic: what someone should read during working hours, never a
# page. Image scan findings (scan-findings.tf) on every dev push and the
# budget's notifications (budget.tf) go here; the alarms and a failed
# pipeline go to the alerts topic (main.tf), the one the on-call and the
# pager subscribe to. Same key as the alerts topic.

resource "aws_sns_topic" "notices" {
  name              = "${var.name_prefix}-notices"
  kms_master_key_id = var.kms_key_id == null ? aws_kms_key.topic[0].arn : var.kms_key_id
  tags              = var.tags
}

data "aws_iam_policy_document" "notices" {
  statement {
    sid       = "ScanFindings"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notices.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.scan_findings.arn]
    }
  }

  statement {
    sid       = "BudgetAlerts"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notices.arn]

    principals {
      type        = "Service"
      identifiers = ["budgets.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "notices" {
  arn    = aws_sns_topic.notices.arn
  policy = data.aws_iam_policy_document.notices.json
}

resource "aws_sns_topic_subscription" "notices" {
  for_each = { for s in var.notice_subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.notices.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}
