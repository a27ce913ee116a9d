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
