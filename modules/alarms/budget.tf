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

  # The actual spend passes 80 % of the amount.
  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 80
    threshold_type            = "PERCENTAGE"
    notification_type         = "ACTUAL"
    subscriber_sns_topic_arns = [aws_sns_topic.this["notices"].arn]
  }

  # AWS forecasts the month will end above the amount.
  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    notification_type         = "FORECASTED"
    subscriber_sns_topic_arns = [aws_sns_topic.this["notices"].arn]
  }

  tags = var.tags

  depends_on = [aws_sns_topic_policy.this]
}
