output "topic_arn" {
  description = "ARN of the SNS topic the alarms notify."
  value       = aws_sns_topic.this.arn
}

output "backlog_alarm_arn" {
  description = "ARN of the backlog alarm."
  value       = aws_cloudwatch_metric_alarm.backlog.arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "topic_key_arn" {
  description = "ARN of the KMS key created for the topic; null when kms_key_id was given."
  value       = one(aws_kms_key.topic[*].arn)
}

output "scan_findings_rule_arn" {
  description = "ARN of the EventBridge rule that sends HIGH and CRITICAL image scan findings to the alerts topic."
  value       = aws_cloudwatch_event_rule.scan_findings.arn
}

output "budget_name" {
  description = "Name of the monthly AWS Budgets cost budget that notifies the alerts topic."
  value       = aws_budgets_budget.monthly.name
}
