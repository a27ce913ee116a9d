# Which topic each notification reaches: the alarms and a failed pipeline or
# build page (the alerts topic); image scan findings and the budget do not
# (the notices topic). Run by npm test (test/infra/plan.test.ts), which adds
# the offline provider settings.

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:root", user_id = "123456789012" }
}

# The topics' and rules' ARNs are known only after apply; fix them so the targets compare.
override_resource {
  target          = aws_sns_topic.this
  override_during = plan
  values          = { arn = "arn:aws:sns:eu-west-1:123456789012:stockprice-test-alerts" }
}

override_resource {
  target          = aws_sns_topic.notices
  override_during = plan
  values          = { arn = "arn:aws:sns:eu-west-1:123456789012:stockprice-test-notices" }
}

override_resource {
  target          = aws_cloudwatch_event_rule.pipeline_failed
  override_during = plan
  values          = { arn = "arn:aws:events:eu-west-1:123456789012:rule/stockprice-test-pipeline-failed" }
}

override_resource {
  target          = aws_cloudwatch_event_rule.build_failed
  override_during = plan
  values          = { arn = "arn:aws:events:eu-west-1:123456789012:rule/stockprice-test-build-failed" }
}

override_resource {
  target          = aws_cloudwatch_event_rule.scan_findings
  override_during = plan
  values          = { arn = "arn:aws:events:eu-west-1:123456789012:rule/stockprice-test-image-scan-findings" }
}

variables {
  name_prefix          = "stockprice-test"
  queue_name           = "inventory-update-queue"
  dlq_name             = "inventory-update-dlq"
  price_queue_name     = "price-change-queue"
  monthly_budget_usd   = 100
  subscriptions        = [{ protocol = "email", endpoint = "oncall@example.com" }]
  notice_subscriptions = [{ protocol = "email", endpoint = "team@example.com" }]
}

run "routing" {
  command = plan

  assert {
    condition     = aws_cloudwatch_event_target.pipeline_failed.arn == aws_sns_topic.this.arn && aws_cloudwatch_event_target.build_failed.arn == aws_sns_topic.this.arn
    error_message = "a failed pipeline execution or build pages: its rules target the alerts topic"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.pipeline_failed.event_pattern) == { source = ["aws.codepipeline"], "detail-type" = ["CodePipeline Pipeline Execution State Change"], detail = { pipeline = ["stockprice-test"], state = ["FAILED"] } }
    error_message = "the pipeline rule matches FAILED executions of this environment's pipeline (modules/pipeline names it name_prefix)"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.build_failed.event_pattern) == { source = ["aws.codebuild"], "detail-type" = ["CodeBuild Build State Change"], detail = { "project-name" = ["stockprice-test-build"], "build-status" = ["FAILED"] } }
    error_message = "the build rule matches FAILED builds of this environment's project (modules/pipeline names it <name_prefix>-build)"
  }
  assert {
    condition     = aws_cloudwatch_event_target.scan_findings.arn == aws_sns_topic.notices.arn
    error_message = "scan findings go to the notices topic, which does not page"
  }
  assert {
    condition     = alltrue([for n in aws_budgets_budget.monthly.notification : n.subscriber_sns_topic_arns == toset([aws_sns_topic.notices.arn])])
    error_message = "the budget notifies the notices topic"
  }
  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.sqs) : a.alarm_actions == toset([aws_sns_topic.this.arn])])
    error_message = "the alarms page: they notify the alerts topic"
  }
  assert {
    condition     = keys(aws_sns_topic_subscription.notices) == ["email:team@example.com"] && keys(aws_sns_topic_subscription.this) == ["email:oncall@example.com"]
    error_message = "the on-call subscribes to the alerts topic, the team to the notices topic"
  }
}

run "queue_alarms" {
  command = plan

  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.sqs) == ["age", "backlog", "dlq", "price_queue_age"]
    error_message = "updates-arriving is off by default; the four other queue alarms exist"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.sqs["price_queue_age"].dimensions.QueueName == "price-change-queue" && aws_cloudwatch_metric_alarm.sqs["price_queue_age"].metric_name == "ApproximateAgeOfOldestMessage"
    error_message = "price-change-queue has its oldest-message alarm"
  }
}

run "updates_arriving" {
  command = plan

  variables {
    updates_arriving_enabled = true
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.sqs["updates_arriving"].treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.sqs["updates_arriving"].comparison_operator == "LessThanThreshold" && aws_cloudwatch_metric_alarm.sqs["updates_arriving"].metric_name == "NumberOfMessagesSent"
    error_message = "updates-arriving: NumberOfMessagesSent under the floor, missing data breaching"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.sqs["updates_arriving"].period == 900 && aws_cloudwatch_metric_alarm.sqs["updates_arriving"].ok_actions == toset([aws_sns_topic.this.arn])
    error_message = "updates-arriving sums 15 minutes and notifies on OK too"
  }
}
