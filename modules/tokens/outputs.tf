output "secret_name" {
  description = "Name of the Secrets Manager secret with inventory's API tokens."
  value       = aws_secretsmanager_secret.this.name
}

output "secret_arn" {
  description = "ARN of the Secrets Manager secret with inventory's API tokens."
  value       = aws_secretsmanager_secret.this.arn
}
