output "role_arn" {
  description = "ARN of the controller's IRSA role: the eks.amazonaws.com/role-arn annotation of its ServiceAccount."
  value       = module.role.arn
}

output "role_name" {
  description = "Name of the controller's IRSA role."
  value       = module.role.name
}

output "policy_arn" {
  description = "ARN of the controller's load balancer policy (the second, policy_arns[1], holds discovery and security groups)."
  value       = aws_iam_policy.this.arn
}

output "policy_arns" {
  description = "ARNs of both managed policies attached to the controller's role: load balancers, then discovery and security groups."
  value       = [aws_iam_policy.this.arn, aws_iam_policy.network.arn]
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
