# The build's and the deploy action's log groups, created here with a
# retention before anything writes to them (CodeBuild and the EKS deploy
# action would otherwise create them with none: kept, and paid for, forever).
# The names are the ones AWS writes to: CodeBuild /aws/codebuild/<project>
# (set in logs_config), CodePipeline-managed compute (the EKS deploy action)
# /aws/codepipeline/<pipeline name>. The roles' log grants (iam.tf) name the
# same locals.
locals {
  log_groups = {
    build  = "/aws/codebuild/${var.name}"
    deploy = "/aws/codepipeline/${var.name}"
  }
}

resource "aws_cloudwatch_log_group" "build" {
  name              = local.log_groups.build
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_cloudwatch_log_group" "deploy" {
  name              = local.log_groups.deploy
  retention_in_days = var.log_retention_days
  tags              = var.tags
}
