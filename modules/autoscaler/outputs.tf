output "role_arn" {
  description = "ARN of the cluster autoscaler's IRSA role."
  value       = module.role.arn
}
