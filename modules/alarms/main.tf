data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

# CloudWatch publishes to an encrypted topic only when the key's policy lets
# cloudwatch.amazonaws.com use the key (kms:GenerateDataKey*, kms:Decrypt).
# The AWS managed alias/aws/sns has a policy nobody can change, so alarms
# on a topic encrypted with it are never delivered. Hence a customer managed
# key of our own unless one is given.
data "aws_iam_policy_document" "topic_key" {
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # The AWS services that publish to the topics with this key: CloudWatch
  # alarms, EventBridge (a failed pipeline to the alerts topic, scan findings
  # to the notices topic) and AWS Budgets (notices): events.tf, budget.tf,
  # topics.tf.
  dynamic "statement" {
    for_each = {
      CloudWatchAlarmsPublish = ["cloudwatch.amazonaws.com"]
      EventsAndBudgetsPublish = ["events.amazonaws.com", "budgets.amazonaws.com"]
    }
    content {
      sid       = statement.key
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = statement.value
      }
    }
  }
}

resource "aws_kms_key" "topic" {
  count = var.kms_key_id == null ? 1 : 0

  description             = "${var.name_prefix}-alerts SNS topic (CloudWatch alarms may use it)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.topic_key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "topic" {
  count = var.kms_key_id == null ? 1 : 0

  name          = "alias/${var.name_prefix}-alerts"
  target_key_id = aws_kms_key.topic[0].key_id
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "${var.name_prefix}-queues"
  dashboard_body = jsonencode({
    widgets = [
      for i, w in [
        { title = "Queue depth", metrics = [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.queue_name], ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", var.queue_name]] },
        { title = "Oldest message age (s)", metrics = [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", var.queue_name]] },
        { title = "Sent / received / deleted", metrics = [["AWS/SQS", "NumberOfMessagesSent", "QueueName", var.queue_name], ["AWS/SQS", "NumberOfMessagesReceived", "QueueName", var.queue_name], ["AWS/SQS", "NumberOfMessagesDeleted", "QueueName", var.queue_name]] },
        { title = "DLQ depth", metrics = [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.dlq_name]] },
        { title = "Price decisions sent", metrics = [["AWS/SQS", "NumberOfMessagesSent", "QueueName", var.price_queue_name]] },
        ] : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = w.title
          metrics = w.metrics
          region  = data.aws_region.current.name
          stat    = "Maximum"
          period  = 60
        }
      }
    ]
  })
}
