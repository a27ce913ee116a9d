output "role_arn" {
  description = "ARN of the controller's IRSA role: the eks.amazonaws.com/role-arn annotation of its ServiceAccount."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the controller's IRSA role."
  value       = aws_iam_role.this.name
}

output "policy_arn" {
  description = "ARN of the controller's IAM policy."
  value       = aws_iam_policy.this.arn
}

output "namespace" {
  description = "Namespace of the controller's ServiceAccount."
  value       = var.namespace
}

output "service_account" {
  description = "Name of the controller's ServiceAccount (the trusted subject's last part)."
  value       = var.service_account
}

output "fargate_profile_name" {
  description = "Fargate profile that runs the controller's pods."
  value       = aws_eks_fargate_profile.this.fargate_profile_name
}
