output "topic_arn" {
  description = "ARN of the alerts topic, the one that pages: the alarms and a failed pipeline or build notify it."
  value       = aws_sns_topic.this["alerts"].arn
}

output "backlog_alarm_arn" {
  description = "ARN of the backlog alarm."
  value       = aws_cloudwatch_metric_alarm.sqs["backlog"].arn
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
  description = "ARN of the EventBridge rule that sends HIGH and CRITICAL image scan findings to the notices topic."
  value       = aws_cloudwatch_event_rule.this["image-scan-findings"].arn
}

output "budget_name" {
  description = "Name of the monthly AWS Budgets cost budget that notifies the notices topic."
  value       = aws_budgets_budget.monthly.name
}

output "notices_topic_arn" {
  description = "ARN of the notices topic, which never pages: image scan findings and the budget notify it."
  value       = aws_sns_topic.this["notices"].arn
}

output "pipeline_failed_rule_arn" {
  description = "ARN of the EventBridge rule that pages (alerts topic) on a FAILED pipeline execution."
  value       = aws_cloudwatch_event_rule.this["pipeline-failed"].arn
}
