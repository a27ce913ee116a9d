# The build's and the deploy action's log groups, created here with a
# retention before anything writes to them (CodeBuild and the EKS deploy
# action would otherwise create them with none: kept, and paid for, forever).
resource "aws_cloudwatch_log_group" "build" {
  name              = "/aws/codebuild/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_cloudwatch_log_group" "deploy" {
  name              = "/aws/codepipeline/${var.name}-deploy"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}
