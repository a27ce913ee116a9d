# Image scan findings reach the team, without paging: ECR's scan on push
# (basic scanning) sends an "ECR Image Scan" event when a scan completes;
# this rule forwards those with at least one HIGH or CRITICAL finding, for
# this project's repositories, to the notices topic (notices.tf). Every dev
# push scans, so a known finding in a base image repeats until it is fixed:
# work for the day, not a page at night. With Inspector enhanced scanning the
# events are "Inspector2 Finding" instead: scan_findings_pattern below is
# the one place to change.

locals {
  scan_findings_pattern = {
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

resource "aws_cloudwatch_event_rule" "scan_findings" {
  name          = "${var.name_prefix}-image-scan-findings"
  description   = "An image in ${var.scan_repository_prefix}* has HIGH or CRITICAL findings: rebuild on a patched base image (Dockerfile digests) before promoting it."
  event_pattern = jsonencode(local.scan_findings_pattern)
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "scan_findings" {
  rule      = aws_cloudwatch_event_rule.scan_findings.name
  target_id = "notices-topic"
  arn       = aws_sns_topic.notices.arn
}
