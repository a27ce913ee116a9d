# EventBridge rules that forward events to a topic, one entry each.
#
# A failed delivery pages: CodePipeline publishes a "Pipeline Execution State
# Change" event for every execution, and CodeBuild a "Build State Change" for
# every build; pipeline-failed and build-failed forward the FAILED ones of
# this environment's pipeline and build project to the alerts topic. Without
# them the team learns of a broken pipeline from a stale environment.
#
# Image scan findings reach the team without paging: ECR's scan on push
# (basic scanning) sends an "ECR Image Scan" event when a scan completes;
# image-scan-findings forwards those with at least one HIGH or CRITICAL
# finding, for this project's repositories, to the notices topic. Every dev
# push scans, so a known finding in a base image repeats until it is fixed:
# work for the day, not a page at night. With Inspector enhanced scanning the
# events are "Inspector2 Finding" instead: its pattern below is the one place
# to change.

locals {
  pipeline_name      = coalesce(var.pipeline_name, var.name_prefix)
  build_project_name = coalesce(var.build_project_name, "${var.name_prefix}-build")

  # The rule's name is "<name_prefix>-<key>"; topic is the key of the topic it notifies (topics.tf).
  event_rules = {
    pipeline-failed = {
      topic       = "alerts"
      description = "An execution of ${local.pipeline_name} FAILED: the environment keeps running the previous release. Open the execution in the console; logs in /aws/codebuild/${local.build_project_name} and /aws/codepipeline/${local.pipeline_name}."
      pattern = {
        source        = ["aws.codepipeline"]
        "detail-type" = ["CodePipeline Pipeline Execution State Change"]
        detail = {
          pipeline = [local.pipeline_name]
          state    = ["FAILED"]
        }
      }
    }
    build-failed = {
      topic       = "alerts"
      description = "A build of ${local.build_project_name} FAILED (tests, image build or render): logs in /aws/codebuild/${local.build_project_name}."
      pattern = {
        source        = ["aws.codebuild"]
        "detail-type" = ["CodeBuild Build State Change"]
        detail = {
          "project-name" = [local.build_project_name]
          "build-status" = ["FAILED"]
        }
      }
    }
    image-scan-findings = {
      topic       = "notices"
      description = "An image in ${var.scan_repository_prefix}* has HIGH or CRITICAL findings: rebuild on a patched base image (Dockerfile digests) before promoting it."
      pattern = {
        source        = ["aws.ecr"]
        "detail-type" = ["ECR Image Scan"]
        detail = {
          "scan-status"     = ["COMPLETE"]
          "repository-name" = [{ prefix = var.scan_repository_prefix }]
          "$or" = [
            { "finding-severity-counts" = { CRITICAL = [{ numeric = [">", 0] }] } },
            { "finding-severity-counts" = { HIGH = [{ numeric = [">", 0] }] } },
          ]
        }
      }
    }
  }
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = local.event_rules

  name          = "${var.name_prefix}-${each.key}"
  description   = each.value.description
  event_pattern = jsonencode(each.value.pattern)
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = local.event_rules

  rule      = aws_cloudwatch_event_rule.this[each.key].name
  target_id = "${each.value.topic}-topic"
  arn       = aws_sns_topic.this[each.value.topic].arn
}

# Addresses before the rules were one map.
moved {
  from = aws_cloudwatch_event_rule.pipeline_failed
  to   = aws_cloudwatch_event_rule.this["pipeline-failed"]
}

moved {
  from = aws_cloudwatch_event_target.pipeline_failed
  to   = aws_cloudwatch_event_target.this["pipeline-failed"]
}

moved {
  from = aws_cloudwatch_event_rule.build_failed
  to   = aws_cloudwatch_event_rule.this["build-failed"]
}

moved {
  from = aws_cloudwatch_event_target.build_failed
  to   = aws_cloudwatch_event_target.this["build-failed"]
}

moved {
  from = aws_cloudwatch_event_rule.scan_findings
  to   = aws_cloudwatch_event_rule.this["image-scan-findings"]
}

moved {
  from = aws_cloudwatch_event_target.scan_findings
  to   = aws_cloudwatch_event_target.this["image-scan-findings"]
}
