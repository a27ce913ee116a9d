# Run by npm test (test/infra/plan.test.ts), which adds the offline provider
# settings: the real provider, fake credentials, no AWS call.

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:root", user_id = "123456789012" }
}

variables {
  name_prefix       = "stockprice-test"
  alarm_topic_arn   = "arn:aws:sns:eu-west-1:123456789012:stockprice-test-alerts"
  queue_name        = "inventory-update-queue"
  price_queue_name  = "price-change-queue"
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0000"
}

# One plan of the default variables for every promise they share (each plan costs seconds).
run "defaults" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_log_group.service) == 2 && alltrue([for g in aws_cloudwatch_log_group.service : g.retention_in_days == 30])
    error_message = "every service log group must keep events 30 days by default"
  }
  assert {
    condition     = aws_cloudwatch_log_group.metrics.retention_in_days == 7
    error_message = "the metrics log group must have a retention"
  }
  assert {
    condition     = aws_cloudwatch_log_group.service["inventory"].name == "/stockprice-test/inventory" && aws_cloudwatch_log_group.service["pricing"].name == "/stockprice-test/pricing"
    error_message = "log groups must be named /<name_prefix>/<service>, as the aws-logging ConfigMap writes"
  }

  assert {
    condition     = [for q in aws_cloudwatch_metric_alarm.inventory_5xx.metric_query : q.id if q.return_data] == ["rate"]
    error_message = "the 5xx alarm evaluates one expression, the rate"
  }
  assert {
    condition     = length([for q in aws_cloudwatch_metric_alarm.inventory_5xx.metric_query : q if length(q.metric) == 1 && try(q.metric[0].dimensions.status_class, "") != ""]) == 3
    error_message = "the rate adds up the 2xx, 4xx and 5xx classes"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.inventory_5xx.threshold == 5
    error_message = "5 % by default"
  }

  assert {
    condition     = length(local.all_alarms) == 6
    error_message = "six service alarms, the silent-metrics one included (the queue alarms are modules/alarms' sqs_alarms)"
  }
  assert {
    condition     = length(data.aws_lb.inventory) == 0 && !contains(keys(aws_cloudwatch_metric_alarm.counts), "inventory-alb-5xx")
    error_message = "no ALB lookup by default: the first apply comes before the first deploy makes the ALB"
  }

  assert {
    condition     = length(output.query_names) == 4
    error_message = "four saved queries"
  }
  assert {
    condition     = strcontains(aws_cloudwatch_query_definition.this["poison_messages"].query_string, "message.poison") && strcontains(aws_cloudwatch_query_definition.this["price_decisions_for_sku"].query_string, "sku =")
    error_message = "the queries filter on the services' log fields"
  }

  assert {
    condition     = strcontains(module.telemetry_role["collector"].trust_policy, "system:serviceaccount:stockprice-telemetry:metrics-collector")
    error_message = "the collector role trusts only its ServiceAccount"
  }
  assert {
    condition     = strcontains(data.aws_iam_policy_document.telemetry["fluent-bit"].json, "log-group:/stockprice-test/pricing:log-stream:*") && !strcontains(data.aws_iam_policy_document.telemetry["fluent-bit"].json, "inventory")
    error_message = "Fluent Bit on the Spot nodes writes only the pricing group"
  }
}

run "every_alarm_has_alarm_and_ok_actions" {
  command = plan

  assert {
    condition     = aws_cloudwatch_metric_alarm.metrics_silent.treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.metrics_silent.metric_name == "inventory_pending_updates"
    error_message = "a silent metrics path alarms: the metric every inventory scrape reports, no data breaching"
  }

  assert {
    condition     = alltrue([for a in local.all_alarms : a.alarm_actions == toset([var.alarm_topic_arn]) && a.ok_actions == toset([var.alarm_topic_arn])])
    error_message = "every alarm must notify the topic on ALARM and on OK"
  }
}

run "bad_retention_is_refused" {
  command = plan

  variables {
    log_retention_days = 31
  }

  expect_failures = [var.log_retention_days]
}

# After the first deploy: the ALB's own 5xx answers page, with the others.
run "alb_alarm_once_the_alb_exists" {
  command = plan

  variables {
    alb_alarm_enabled  = true
    load_balancer_name = "stockprice-test-inventory"
  }

  override_data {
    target = data.aws_lb.inventory[0]
    values = { arn_suffix = "app/stockprice-test-inventory/0123456789abcdef" }
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.counts["inventory-alb-5xx"].namespace == "AWS/ApplicationELB" && aws_cloudwatch_metric_alarm.counts["inventory-alb-5xx"].metric_name == "HTTPCode_ELB_5XX_Count"
    error_message = "the alarm reads the ALB's own 5xx count"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.counts["inventory-alb-5xx"].dimensions["LoadBalancer"] == "app/stockprice-test-inventory/0123456789abcdef" && length(aws_cloudwatch_metric_alarm.counts["inventory-alb-5xx"].dimensions) == 1
    error_message = "the alarm's LoadBalancer dimension is the looked-up ALB's arn_suffix"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.counts["inventory-alb-5xx"].threshold == 10 && aws_cloudwatch_metric_alarm.counts["inventory-alb-5xx"].treat_missing_data == "notBreaching"
    error_message = "more than 10 in the window by default; no data (no 5xx) is fine"
  }
  assert {
    condition     = length(local.all_alarms) == 7 && contains(output.alarm_names, "stockprice-test-inventory-alb-5xx")
    error_message = "the ALB alarm is one of the service alarms (dashboard widget, outputs, actions)"
  }
}

run "alb_alarm_without_a_name_is_refused" {
  command = plan

  variables {
    alb_alarm_enabled = true
  }

  expect_failures = [data.aws_lb.inventory]
}
