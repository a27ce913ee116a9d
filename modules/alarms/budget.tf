# The whole bill, watched: an AWS Budgets cost budget for the account, with
# two notifications on the notices topic, which does not page (the topic and key policies let
# budgets.amazonaws.com publish). The README's cost table gives the fixed
# monthly cost per environment that the amount should cover.

resource "aws_budgets_budget" "monthly" {
  name         = "${var.name_prefix}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  # One notification each: the actual spend passes 80 % of the amount, and
  # AWS forecasts the month will end above the amount.
  dynamic "notification" {
    for_each = { ACTUAL = 80, FORECASTED = 100 }
    content {
      comparison_operator       = "GREATER_THAN"
      threshold                 = notification.value
      threshold_type            = "PERCENTAGE"
      notification_type         = notification.key
      subscriber_sns_topic_arns = [aws_sns_topic.this["notices"].arn]
    }
  }

  tags = var.tags

  depends_on = [aws_sns_topic_policy.this]
}
