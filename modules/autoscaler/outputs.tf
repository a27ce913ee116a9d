output "role_arn" {
  description = "ARN of the cluster autoscaler's IRSA role."
  value       = aws_iam_role.this.arn
}
