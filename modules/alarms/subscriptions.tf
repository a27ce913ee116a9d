# Who reads each topic. E-mail (or an HTTPS endpoint) for the on-call on the
# alerts topic (subscriptions) and for the team on the notices topic
# (notice_subscriptions).
resource "aws_sns_topic_subscription" "this" {
  for_each = { for s in var.subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.this["alerts"].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

resource "aws_sns_topic_subscription" "notices" {
  for_each = { for s in var.notice_subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.this["notices"].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

# Paging beyond e-mail: every SNS protocol, from one variable. An incident
# tool's HTTPS endpoint (PagerDuty, Opsgenie, incident.io), a chat
# integration (AWS Chatbot / Amazon Q Developer in chat applications through
# its HTTPS endpoint, or a Lambda), an SQS queue or SMS for a phone.
resource "aws_sns_topic_subscription" "pager" {
  for_each = { for s in var.pager_subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn              = aws_sns_topic.this["alerts"].arn
  protocol               = each.value.protocol
  endpoint               = each.value.endpoint
  raw_message_delivery   = each.value.raw_message_delivery
  endpoint_auto_confirms = each.value.endpoint_auto_confirms
  subscription_role_arn  = each.value.subscription_role_arn
  filter_policy          = each.value.filter_policy
}

# SNS invokes a function only where the function's resource policy lets it:
# one permission per lambda entry, for the alerts topic alone. (An sqs entry
# needs the same on the queue's side, a queue policy allowing sqs:SendMessage
# from this topic, which belongs to whoever owns that queue.)
resource "aws_lambda_permission" "pager" {
  for_each = { for s in var.pager_subscriptions : "${s.protocol}:${s.endpoint}" => s if s.protocol == "lambda" }

  statement_id  = "${var.name_prefix}-alerts-topic"
  action        = "lambda:InvokeFunction"
  function_name = each.value.endpoint
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.this["alerts"].arn
}
