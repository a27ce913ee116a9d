output "log_group_names" {
  description = "Log group name per service: { inventory, pricing }."
  value       = { for k, g in aws_cloudwatch_log_group.service : k => g.name }
}

output "metrics_log_group_name" {
  description = "Log group the metrics collector writes its EMF events to."
  value       = aws_cloudwatch_log_group.metrics.name
}

output "collector_role_arn" {
  description = "IRSA role ARN for the metrics collector's ServiceAccount (render --collector-role-arn)."
  value       = module.telemetry_role["collector"].arn
}

output "fluent_bit_role_arn" {
  description = "IRSA role ARN for the Spot nodes' Fluent Bit ServiceAccount (render --fluent-bit-role-arn)."
  value       = module.telemetry_role["fluent-bit"].arn
}

output "dashboard_name" {
  description = "Name of the services dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "alarm_names" {
  description = "Names of the service alarms."
  value       = [for a in local.all_alarms : a.alarm_name]
}

output "query_names" {
  description = "Names of the saved Logs Insights queries."
  value       = [for q in values(aws_cloudwatch_query_definition.this) : q.name]
}
