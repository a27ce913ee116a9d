# Paging beyond e-mail: every SNS protocol, from one variable. An incident
# tool's HTTPS endpoint (PagerDuty, Opsgenie, incident.io), a chat
# integration (AWS Chatbot / Amazon Q Developer in chat applications through
# its HTTPS endpoint, or a Lambda), an SQS queue or SMS for a phone.
resource "aws_sns_topic_subscription" "pager" {
  for_each = { for s in var.pager_subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn              = aws_sns_topic.this.arn
  protocol               = each.value.protocol
  endpoint               = each.value.endpoint
  raw_message_delivery   = each.value.raw_message_delivery
  endpoint_auto_confirms = each.value.endpoint_auto_confirms
  subscription_role_arn  = each.value.subscription_role_arn
  filter_policy          = each.value.filter_policy
}
