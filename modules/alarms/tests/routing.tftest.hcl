# Which topic each notification reaches, and who hears it: the alarms and a
# failed pipeline or build page (the alerts topic); image scan findings and
# the budget do not (the notices topic). Both topics are encrypted with a key
# CloudWatch can use, and every SNS protocol can subscribe to the alerts
# topic. Run by npm test (test/infra/plan.test.ts), which adds the offline
# provider settings: the real provider, fake credentials, no AWS call.

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:root", user_id = "123456789012" }
}

# The topics' ARNs are known only after apply; fix them so the targets compare.
override_resource {
  target          = aws_sns_topic.this["alerts"]
  override_during = plan
  values          = { arn = "arn:aws:sns:eu-west-1:123456789012:stockprice-test-alerts" }
}

override_resource {
  target          = aws_sns_topic.this["notices"]
  override_during = plan
  values          = { arn = "arn:aws:sns:eu-west-1:123456789012:stockprice-test-notices" }
}

variables {
  name_prefix          = "stockprice-test"
  queue_name           = "inventory-update-queue"
  dlq_name             = "inventory-update-dlq"
  price_queue_name     = "price-change-queue"
  monthly_budget_usd   = 100
  subscriptions        = [{ protocol = "email", endpoint = "oncall@example.com" }]
  notice_subscriptions = [{ protocol = "email", endpoint = "team@example.com" }]
  pager_subscriptions = [
    { protocol = "https", endpoint = "https://events.example-incidents.com/integration/abc/enqueue", endpoint_auto_confirms = true },
    { protocol = "sqs", endpoint = "arn:aws:sqs:eu-west-1:123456789012:pager-relay", raw_message_delivery = true },
    { protocol = "lambda", endpoint = "arn:aws:lambda:eu-west-1:123456789012:function:chat-notify" },
  ]
}

run "routing" {
  command = plan

  assert {
    condition     = aws_cloudwatch_event_target.this["pipeline-failed"].arn == aws_sns_topic.this["alerts"].arn && aws_cloudwatch_event_target.this["build-failed"].arn == aws_sns_topic.this["alerts"].arn
    error_message = "a failed pipeline execution or build pages: its rules target the alerts topic"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["pipeline-failed"].event_pattern) == { source = ["aws.codepipeline"], "detail-type" = ["CodePipeline Pipeline Execution State Change"], detail = { pipeline = ["stockprice-test"], state = ["FAILED"] } }
    error_message = "the pipeline rule matches FAILED executions of this environment's pipeline (modules/pipeline names it name_prefix)"
  }
  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["build-failed"].event_pattern) == { source = ["aws.codebuild"], "detail-type" = ["CodeBuild Build State Change"], detail = { "project-name" = ["stockprice-test-build"], "build-status" = ["FAILED"] } }
    error_message = "the build rule matches FAILED builds of this environment's project (modules/pipeline names it <name_prefix>-build)"
  }
  assert {
    condition     = aws_cloudwatch_event_target.this["image-scan-findings"].arn == aws_sns_topic.this["notices"].arn
    error_message = "scan findings go to the notices topic, which does not page"
  }
  assert {
    condition     = alltrue([for n in aws_budgets_budget.monthly.notification : n.subscriber_sns_topic_arns == toset([aws_sns_topic.this["notices"].arn])])
    error_message = "the budget notifies the notices topic"
  }
  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.sqs) : a.alarm_actions == toset([aws_sns_topic.this["alerts"].arn]) && a.ok_actions == a.alarm_actions])
    error_message = "the alarms page: they notify the alerts topic on ALARM and on OK"
  }
  assert {
    condition     = keys(aws_sns_topic_subscription.notices) == ["email:team@example.com"] && keys(aws_sns_topic_subscription.this) == ["email:oncall@example.com"]
    error_message = "the on-call subscribes to the alerts topic, the team to the notices topic"
  }
  assert {
    condition     = length(aws_sns_topic_subscription.pager) == 3
    error_message = "one subscription per entry of pager_subscriptions"
  }
  assert {
    condition     = keys(aws_lambda_permission.pager) == ["lambda:arn:aws:lambda:eu-west-1:123456789012:function:chat-notify"] && aws_lambda_permission.pager["lambda:arn:aws:lambda:eu-west-1:123456789012:function:chat-notify"].principal == "sns.amazonaws.com"
    error_message = "SNS may invoke the lambda entry's function, and only that one"
  }
  assert {
    condition     = aws_sns_topic_subscription.pager["https:https://events.example-incidents.com/integration/abc/enqueue"].endpoint_auto_confirms == true
    error_message = "the incident tool's HTTPS endpoint is subscribed as given"
  }
  assert {
    condition     = aws_sns_topic_subscription.pager["sqs:arn:aws:sqs:eu-west-1:123456789012:pager-relay"].raw_message_delivery == true
    error_message = "options of an entry reach its subscription"
  }
  assert {
    condition     = aws_sns_topic_subscription.pager["lambda:arn:aws:lambda:eu-west-1:123456789012:function:chat-notify"].protocol == "lambda"
    error_message = "any SNS protocol is accepted"
  }
}

run "queue_alarms" {
  command = plan

  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.sqs) == ["age", "backlog", "dlq"]
    error_message = "updates-arriving and the price queue's age are off by default; the three inventory queue alarms exist"
  }
}

run "price_queue_consumed" {
  command = plan

  variables {
    price_queue_consumed = true
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.sqs["price_queue_age"].dimensions.QueueName == "price-change-queue" && aws_cloudwatch_metric_alarm.sqs["price_queue_age"].metric_name == "ApproximateAgeOfOldestMessage"
    error_message = "with a consumer, price-change-queue has its oldest-message alarm"
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
    condition     = aws_cloudwatch_metric_alarm.sqs["updates_arriving"].period == 900 && aws_cloudwatch_metric_alarm.sqs["updates_arriving"].ok_actions == toset([aws_sns_topic.this["alerts"].arn])
    error_message = "updates-arriving sums 15 minutes and notifies on OK too"
  }
}

# The topics are never encrypted with a key CloudWatch cannot use.
run "aws_managed_key_refused" {
  command = plan

  variables {
    kms_key_id = "alias/aws/sns"
  }

  expect_failures = [var.kms_key_id]
}

run "own_key_given" {
  command = plan

  variables {
    kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = length(aws_kms_key.topic) == 0 && alltrue([for t in aws_sns_topic.this : t.kms_master_key_id == var.kms_key_id])
    error_message = "A given customer managed key is used by both topics, and no key is created."
  }
}

run "an_unknown_protocol_is_refused" {
  command = plan

  variables {
    pager_subscriptions = [{ protocol = "pager", endpoint = "555-0100" }]
  }

  expect_failures = [var.pager_subscriptions]
}

run "https_needs_an_https_url" {
  command = plan

  variables {
    pager_subscriptions = [{ protocol = "https", endpoint = "http://example.com/hook" }]
  }

  expect_failures = [var.pager_subscriptions]
}
