# Alarms on the services themselves. The queue alarms (modules/alarms) cannot
# see a dead inventory, a flood of 5xx or a crash-looping pricing: all of them
# leave the queue empty, and an empty queue reads as healthy. Every alarm
# notifies the alarms module's topic on ALARM and on OK.

locals {
  actions = [var.alarm_topic_arn]
  # Service metrics: the collector's EMF events (see metric_declarations in
  # scripts/render/observability.ts), dimensioned by Service.
  ns = var.metrics_namespace
  all_alarms = concat(
    [aws_cloudwatch_metric_alarm.inventory_5xx],
    values(aws_cloudwatch_metric_alarm.counts),
    [aws_cloudwatch_metric_alarm.pricing_restarted, aws_cloudwatch_metric_alarm.metrics_silent],
  )
}

resource "aws_cloudwatch_metric_alarm" "inventory_5xx" {
  alarm_name          = "${var.name_prefix}-inventory-5xx-rate"
  alarm_description   = "More than ${var.inventory_5xx_percent}% of inventory answers were 5xx for ${var.evaluation_minutes} minutes (with at least ${var.inventory_min_requests} requests a minute). Query \"inventory 5xx answers\"; check SQS permissions and the pods."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.inventory_5xx_percent
  evaluation_periods  = var.evaluation_minutes
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags

  metric_query {
    id          = "rate"
    label       = "5xx share of answers (%)"
    expression  = "IF(total >= ${var.inventory_min_requests}, 100 * FILL(s5, 0) / total, 0)"
    return_data = true
  }

  metric_query {
    id = "total"
    # A status class with no answers in a minute has no data point: count 0.
    expression = "FILL(s2, 0) + FILL(s4, 0) + FILL(s5, 0)"
  }

  dynamic "metric_query" {
    for_each = { s2 = "2xx", s4 = "4xx", s5 = "5xx" }
    content {
      id = metric_query.key
      metric {
        namespace   = local.ns
        metric_name = "inventory_http_requests_total"
        dimensions  = { Service = "inventory", status_class = metric_query.value }
        stat        = "Sum"
        period      = 60
      }
    }
  }
}

# Alarms of one shape: a count's sum over the window above a threshold. The
# services' counters here; the ALB's own 5xx (alb_count_alarms, below) once
# the ALB exists.
locals {
  count_alarms = {
    "inventory-publish-failures" = {
      description = "More than ${var.publish_failures_threshold} SendMessageBatch calls failed within ${var.evaluation_minutes} minutes: updates are being refused with 503. Check SQS, the queue policy and the inventory role."
      namespace   = local.ns
      metric_name = "inventory_sqs_calls_total"
      dimensions  = { Service = "inventory", action = "SendMessageBatch", outcome = "error" }
      threshold   = var.publish_failures_threshold
    }
    "pricing-failed" = {
      description = "More than ${var.pricing_failed_threshold} messages returned for a retry within ${var.evaluation_minutes} minutes: price decisions cannot be sent. Check price-change-queue and the pricing role."
      namespace   = local.ns
      metric_name = "pricing_failed_total"
      dimensions  = { Service = "pricing" }
      threshold   = var.pricing_failed_threshold
    }
    "pricing-poison" = {
      description = "More than ${var.pricing_poison_threshold} unreadable stock updates within ${var.evaluation_minutes} minutes: a producer sends bad messages. Query \"poison messages\"; they end in the DLQ."
      namespace   = local.ns
      metric_name = "pricing_poison_total"
      dimensions  = { Service = "pricing" }
      threshold   = var.pricing_poison_threshold
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "counts" {
  for_each = merge(local.count_alarms, { for k, a in local.alb_count_alarms : k => a if var.alb_alarm_enabled })

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = "Sum"
  period              = var.evaluation_minutes * 60
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# The queue alarms (updates arriving, the price queue's oldest message) are
# entries of modules/alarms' sqs_alarms map, with the other queue alarms.
# Those two were resources here; this unit forgets them without deleting
# them, and the alarms unit writes them again under the same names
# (PutMetricAlarm replaces an alarm of the same name).
removed {
  from = aws_cloudwatch_metric_alarm.updates_arriving

  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_cloudwatch_metric_alarm.price_queue_age

  lifecycle {
    destroy = false
  }
}

# A restarted pricing container (an OOM kill at its memory limit, a crash)
# leaves the queue draining and no other alarm moves. Pricing records each
# start on its pod's emptyDir (RESTART_MARKER_DIR, src/shared/restarts.ts)
# and reports pricing_container_restarted = 1 for 10 minutes after a start
# that followed another in the same pod; a deploy or a scale-out starts new
# pods and reports 0.
resource "aws_cloudwatch_metric_alarm" "pricing_restarted" {
  alarm_name          = "${var.name_prefix}-pricing-restarted"
  alarm_description   = "A pricing container restarted in its pod within the last 10 minutes (OOMKilled at its memory limit, or a crash). kubectl -n stockprice get pods -l app.kubernetes.io/name=pricing (RESTARTS), then kubectl describe pod (Last State: Terminated, Reason) and the logs before it (--previous)."
  namespace           = local.ns
  metric_name         = "pricing_container_restarted"
  dimensions          = { Service = "pricing" }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# The alarms above treat no data as fine, so with the metrics path down
# (the collector's pod, its role, the EMF log group) they would all sit in
# OK. Inventory always runs (two pods at least) and reports its pending
# updates every scrape: no sample of it for 15 minutes means nothing
# reaches CloudWatch, and that alarms.
resource "aws_cloudwatch_metric_alarm" "metrics_silent" {
  alarm_name          = "${var.name_prefix}-metrics-silent"
  alarm_description   = "No service metric reached CloudWatch for 15 minutes, so the service alarms are blind. kubectl -n ${var.telemetry_namespace} get pods -l app.kubernetes.io/name=${var.collector_service_account} (and its logs), the collector's role, the ${local.metrics_log_group} log group; then whether inventory runs at all."
  namespace           = local.ns
  metric_name         = "inventory_pending_updates"
  dimensions          = { Service = "inventory" }
  statistic           = "SampleCount"
  period              = 300
  evaluation_periods  = 3
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# The answers the inventory ALB gives itself (502, 503, 504: no healthy pod
# behind it, a connection closed under it, a timeout) never reach inventory,
# so the 5xx rate above cannot see them; refused updates leave the queue
# empty, so the queue alarms cannot either. The ALB is the load balancer
# controller's, made by the first pipeline deploy: alb_alarm_enabled is set
# after it (as modules/edge's hosted_zone_id), when the lookup finds it.
# CloudWatch writes this metric only for periods with such answers.
data "aws_lb" "inventory" {
  count = var.alb_alarm_enabled ? 1 : 0
  name  = var.load_balancer_name

  lifecycle {
    precondition {
      condition     = var.load_balancer_name != null
      error_message = "load_balancer_name is required while alb_alarm_enabled is true (the Ingress's ALB, \"<env name>-inventory\")."
    }
  }
}

locals {
  alb_count_alarms = {
    "inventory-alb-5xx" = {
      description = "The inventory ALB itself answered more than ${var.alb_5xx_threshold} requests with a 5xx within ${var.evaluation_minutes} minutes: updates refused before they reached inventory. kubectl -n stockprice get pods,endpoints -l app.kubernetes.io/name=inventory; kubectl -n stockprice describe ingress inventory (events); the target group's health in the console."
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = one(data.aws_lb.inventory[*].arn_suffix) }
      threshold   = var.alb_5xx_threshold
    }
  }
}
