output "pipeline_name" {
  description = "Name of the CodePipeline."
  value       = aws_codepipeline.this.name
}

output "connection_arn" {
  description = "ARN of the CodeConnections connection; confirm it in the console after the first apply."
  value       = aws_codeconnections_connection.this.arn
}

output "artifact_bucket" {
  description = "Name of the artifact bucket."
  value       = aws_s3_bucket.artifacts.bucket
}

output "deploy_role_arn" {
  description = "ARN of the pipeline role that the EKS deploy action uses."
  value       = aws_iam_role.codepipeline.arn
}

output "build_log_group_name" {
  description = "Log group of the CodeBuild project."
  value       = aws_cloudwatch_log_group.build.name
}
