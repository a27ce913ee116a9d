# Every alarm on an SQS queue metric, one entry each; all of them notify the
# alerts topic on ALARM and on OK. The local stack's alarm evaluator
# (scripts/alarms/definitions.ts) reads this map, so thresholds, periods and
# statistics have one source. An entry whose `enabled` is false creates
# nothing. SQS sends queue metrics while the queue is active, so no data
# means idle (notBreaching), except where no data is the failure.
locals {
  sqs_alarms = {
    # The original design's alarm: the backlog stays above the threshold for
    # backlog_minutes consecutive one-minute periods (50 for 5 minutes).
    backlog = {
      enabled             = true
      alarm_name          = "${var.name_prefix}-inventory-backlog"
      alarm_description   = "More than ${var.backlog_threshold} messages waiting for ${var.backlog_minutes} minutes. A message is a packed batch of up to about 180 stock updates at the default 64 KiB, so up to about 180 x ${var.backlog_threshold} updates: pricing is down, stuck or too small. Check the pricing pods and the Spot node group; the age-of-oldest-message alarm is the latency signal."
      queue_name          = var.queue_name
      metric_name         = "ApproximateNumberOfMessagesVisible"
      statistic           = "Maximum"
      period              = 60
      evaluation_periods  = var.backlog_minutes
      threshold           = var.backlog_threshold
      comparison_operator = "GreaterThanThreshold"
      treat_missing_data  = "notBreaching"
    }
    dlq = {
      enabled             = true
      alarm_name          = "${var.name_prefix}-inventory-dlq"
      alarm_description   = "A stock update was moved to the DLQ after repeated failures (a poison message). Look without taking: npm run dlq -- --env ${var.environment} peek (why each failed). Once the cause is fixed: npm run dlq -- --env ${var.environment} redrive, then npm run dlq -- --env ${var.environment} status (docs/deploy-aws.md, \"The DLQ: look, fix, send back\")."
      queue_name          = var.dlq_name
      metric_name         = "ApproximateNumberOfMessagesVisible"
      statistic           = "Maximum"
      period              = 60
      evaluation_periods  = 1
      threshold           = 0
      comparison_operator = "GreaterThanThreshold"
      treat_missing_data  = "notBreaching"
    }
    age = {
      enabled             = true
      alarm_name          = "${var.name_prefix}-inventory-oldest-message"
      alarm_description   = "The oldest stock update has waited more than ${var.oldest_message_age_seconds} s: prices are going stale."
      queue_name          = var.queue_name
      metric_name         = "ApproximateAgeOfOldestMessage"
      statistic           = "Maximum"
      period              = 60
      evaluation_periods  = 5
      threshold           = var.oldest_message_age_seconds
      comparison_operator = "GreaterThanThreshold"
      treat_missing_data  = "notBreaching"
    }
    # Only where something consumes the price queue (this project only
    # produces to it): with no consumer every decision waits for nobody, and
    # the alarm would page within the hour and stay in ALARM.
    price_queue_age = {
      enabled             = var.price_queue_consumed
      alarm_name          = "${var.name_prefix}-price-queue-oldest-message"
      alarm_description   = "The oldest price decision in ${var.price_queue_name} has waited more than ${var.price_queue_age_seconds} s: its downstream consumer is down or too slow."
      queue_name          = var.price_queue_name
      metric_name         = "ApproximateAgeOfOldestMessage"
      statistic           = "Maximum"
      period              = 60
      evaluation_periods  = 5
      threshold           = var.price_queue_age_seconds
      comparison_operator = "GreaterThanThreshold"
      treat_missing_data  = "notBreaching"
    }
    # "Updates are arriving": fewer than the floor sent to the inventory
    # queue in the window. No data at all (nobody sends, or inventory is
    # down) breaches. Off where quiet hours are normal (dev); on in prod.
    updates_arriving = {
      enabled             = var.updates_arriving_enabled
      alarm_name          = "${var.name_prefix}-updates-arriving"
      alarm_description   = "Fewer than ${var.updates_arriving_floor} messages of stock updates reached ${var.queue_name} in ${var.updates_arriving_minutes} minutes. Is inventory up and reachable, are clients sending, do they get 401s?"
      queue_name          = var.queue_name
      metric_name         = "NumberOfMessagesSent"
      statistic           = "Sum"
      period              = var.updates_arriving_minutes * 60
      evaluation_periods  = 1
      threshold           = var.updates_arriving_floor
      comparison_operator = "LessThanThreshold"
      treat_missing_data  = "breaching"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "sqs" {
  for_each = { for k, a in local.sqs_alarms : k => a if a.enabled }

  alarm_name          = each.value.alarm_name
  alarm_description   = each.value.alarm_description
  namespace           = "AWS/SQS"
  metric_name         = each.value.metric_name
  dimensions          = { QueueName = each.value.queue_name }
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison_operator
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = [aws_sns_topic.this["alerts"].arn]
  ok_actions          = [aws_sns_topic.this["alerts"].arn]
  tags                = var.tags
}

# Addresses before the alarms were one map. The price-queue age and the
# updates-arriving alarms were in modules/observability (another unit, so
# another state): that unit forgets them without deleting them (a `removed`
# block there) and this one writes them again under the same names.
moved {
  from = aws_cloudwatch_metric_alarm.backlog
  to   = aws_cloudwatch_metric_alarm.sqs["backlog"]
}

moved {
  from = aws_cloudwatch_metric_alarm.dlq
  to   = aws_cloudwatch_metric_alarm.sqs["dlq"]
}

moved {
  from = aws_cloudwatch_metric_alarm.age
  to   = aws_cloudwatch_metric_alarm.sqs["age"]
}
