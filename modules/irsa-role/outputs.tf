output "arn" {
  description = "ARN of the role (the ServiceAccount annotation eks.amazonaws.com/role-arn)."
  value       = aws_iam_role.this.arn
}

output "name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "trust_policy" {
  description = "The role's trust policy (JSON), for checks of who may assume it."
  value       = data.aws_iam_policy_document.trust.json
}
