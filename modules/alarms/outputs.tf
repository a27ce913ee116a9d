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
