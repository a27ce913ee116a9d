# Run by npm test (test/infra/plan.test.ts), which adds the offline provider
# settings: the real provider, fake credentials, no AWS call.

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:root", user_id = "123456789012" }
}

# The topic's ARN is known only after apply; fix it so the actions compare.
override_resource {
  target          = aws_sns_topic.this
  override_during = plan
  values          = { arn = "arn:aws:sns:eu-west-1:123456789012:stockprice-test-alerts" }
}

variables {
  name_prefix        = "stockprice-test"
  queue_name         = "inventory-update-queue"
  dlq_name           = "inventory-update-dlq"
  price_queue_name   = "price-change-queue"
  monthly_budget_usd = 100
  subscriptions      = [{ protocol = "email", endpoint = "oncall@example.com" }]
  pager_subscriptions = [
    { protocol = "https", endpoint = "https://events.example-incidents.com/integration/abc/enqueue", endpoint_auto_confirms = true },
    { protocol = "sqs", endpoint = "arn:aws:sqs:eu-west-1:123456789012:pager-relay", raw_message_delivery = true },
    { protocol = "lambda", endpoint = "arn:aws:lambda:eu-west-1:123456789012:function:chat-notify" },
  ]
}

# One plan of the default variables for every promise they share (each plan costs seconds).
run "subscriptions_and_actions" {
  command = plan

  assert {
    condition     = length(aws_sns_topic_subscription.pager) == 3
    error_message = "one subscription per entry of pager_subscriptions"
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
  assert {
    condition     = length(aws_sns_topic_subscription.this) == 1
    error_message = "the e-mail subscriptions stay as they were"
  }

  assert {
    condition = alltrue([for a in values(aws_cloudwatch_metric_alarm.sqs) :
    a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:stockprice-test-alerts"]) && a.ok_actions == a.alarm_actions])
    error_message = "every queue alarm notifies on ALARM and on OK"
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
