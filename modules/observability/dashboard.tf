# The services' own figures beside the SQS ones, one row per question.

locals {
  sqs        = "AWS/SQS"
  alarm_arns = [for a in local.all_alarms : a.arn]
  widgets = [
    { title = "Inventory: updates accepted", stat = "Sum", metrics = [[local.ns, "inventory_updates_accepted_total", "Service", "inventory"]] },
    { title = "Inventory: answers per status", stat = "Sum", metrics = [for s in var.dashboard_statuses : [local.ns, "inventory_http_requests_total", "Service", "inventory", "status", s]] },
    { title = "Inventory: SQS publish calls failed / ok", stat = "Sum", metrics = [[local.ns, "inventory_sqs_calls_total", "Service", "inventory", "action", "SendMessageBatch", "outcome", "error"], [local.ns, "inventory_sqs_calls_total", "Service", "inventory", "action", "SendMessageBatch", "outcome", "ok"]] },
    { title = "Inventory: publish latency (s, mean)", stat = "Average", metrics = [[local.ns, "inventory_publish_latency_seconds", "Service", "inventory"]] },
    { title = "Pricing: priced per result", stat = "Sum", metrics = [[local.ns, "pricing_priced_total", "Service", "pricing", "result", "changed"], [local.ns, "pricing_priced_total", "Service", "pricing", "result", "unchanged"]] },
    { title = "Pricing: poison, failed, stale, unknown SKU", stat = "Sum", metrics = [for m in ["pricing_poison_total", "pricing_failed_total", "pricing_stale_total", "pricing_unknown_sku_total"] : [local.ns, m, "Service", "pricing"]] },
    { title = "Pricing: message age at processing (s)", stat = "Average", metrics = [[local.ns, "pricing_message_age_seconds", "Service", "pricing"], [local.ns, "pricing_message_age_seconds", "Service", "pricing", { stat = "Maximum" }]] },
    { title = "SQS: sent / received / deleted (inventory queue)", stat = "Sum", metrics = [for m in ["NumberOfMessagesSent", "NumberOfMessagesReceived", "NumberOfMessagesDeleted"] : [local.sqs, m, "QueueName", var.queue_name]] },
    { title = "SQS: depth and oldest message (s)", stat = "Maximum", metrics = [[local.sqs, "ApproximateNumberOfMessagesVisible", "QueueName", var.queue_name], [local.sqs, "ApproximateAgeOfOldestMessage", "QueueName", var.queue_name, { yAxis = "right" }]] },
    { title = "SQS: price-change-queue sent and oldest (s)", stat = "Maximum", metrics = [[local.sqs, "NumberOfMessagesSent", "QueueName", var.price_queue_name, { stat = "Sum" }], [local.sqs, "ApproximateAgeOfOldestMessage", "QueueName", var.price_queue_name, { yAxis = "right" }]] },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "${var.name_prefix}-services"
  dashboard_body = jsonencode({
    widgets = concat(
      [
        for i, w in local.widgets : {
          type   = "metric"
          x      = (i % 2) * 12
          y      = floor(i / 2) * 6
          width  = 12
          height = 6
          properties = {
            title   = w.title
            metrics = w.metrics
            region  = local.region
            stat    = w.stat
            period  = 60
            view    = "timeSeries"
          }
        }
      ],
      [
        {
          type   = "alarm"
          x      = 0
          y      = ceil(length(local.widgets) / 2) * 6
          width  = 24
          height = 3
          properties = {
            title  = "Service alarms"
            alarms = local.alarm_arns
          }
        }
      ]
    )
  })
}
