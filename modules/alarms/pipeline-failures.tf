# A failed delivery pages: CodePipeline publishes a "Pipeline Execution State
# Change" event for every execution, and CodeBuild a "Build State Change"
# for every build; these rules forward the FAILED ones of this environment's
# pipeline and build project to the alerts topic, the one that pages.
# Without them the team learns of a broken pipeline from a stale environment.

locals {
  pipeline_name      = coalesce(var.pipeline_name, var.name_prefix)
  build_project_name = coalesce(var.build_project_name, "${var.name_prefix}-build")

  pipeline_failed_pattern = {
    source        = ["aws.codepipeline"]
    "detail-type" = ["CodePipeline Pipeline Execution State Change"]
    detail = {
      pipeline = [local.pipeline_name]
      state    = ["FAILED"]
    }
  }

  build_failed_pattern = {
    source        = ["aws.codebuild"]
    "detail-type" = ["CodeBuild Build State Change"]
    detail = {
      "project-name" = [local.build_project_name]
      "build-status" = ["FAILED"]
    }
  }
}

resource "aws_cloudwatch_event_rule" "pipeline_failed" {
  name          = "${var.name_prefix}-pipeline-failed"
  description   = "An execution of ${local.pipeline_name} FAILED: the environment keeps running the previous release. Open the execution in the console; logs in /aws/codebuild/${local.build_project_name} and /aws/codepipeline/${local.pipeline_name}."
  event_pattern = jsonencode(local.pipeline_failed_pattern)
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "pipeline_failed" {
  rule      = aws_cloudwatch_event_rule.pipeline_failed.name
  target_id = "alerts-topic"
  arn       = aws_sns_topic.this.arn
}

resource "aws_cloudwatch_event_rule" "build_failed" {
  name          = "${var.name_prefix}-build-failed"
  description   = "A build of ${local.build_project_name} FAILED (tests, image build or render): logs in /aws/codebuild/${local.build_project_name}."
  event_pattern = jsonencode(local.build_failed_pattern)
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "build_failed" {
  rule      = aws_cloudwatch_event_rule.build_failed.name
  target_id = "alerts-topic"
  arn       = aws_sns_topic.this.arn
}
