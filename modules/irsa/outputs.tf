output "inventory_role_arn" {
  description = "IAM role ARN for the inventory ServiceAccount annotation eks.amazonaws.com/role-arn."
  value       = module.role["inventory"].arn
}

output "pricing_role_arn" {
  description = "IAM role ARN for the pricing ServiceAccount annotation eks.amazonaws.com/role-arn."
  value       = module.role["pricing"].arn
}

output "keda_operator_role_arn" {
  description = "IAM role ARN for KEDA's operator ServiceAccount (annotation eks.amazonaws.com/role-arn); null unless keda_enabled."
  value       = one(module.keda[*].arn)
}
