# Logs that survive. The control-plane group is created here, with a
# retention, before the cluster (EKS would otherwise create it with none).
# The Fargate pod execution role may write the services' groups
# (/<cluster>/<service>, created by modules/observability): Fargate's
# built-in Fluent Bit ships container logs as that role, configured by the
# aws-logging ConfigMap that scripts/render writes into observability.yaml.

# Own names, so these never collide with data sources added to main.tf.
data "aws_caller_identity" "logging" {}
data "aws_region" "logging" {}
data "aws_partition" "logging" {}

resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/${var.cluster_name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

# The actions the EKS user guide (Fargate logging) lists for the pod
# execution role, limited to the cluster's service groups instead of "*".
data "aws_iam_policy_document" "fargate_logs" {
  statement {
    sid = "FargateLogRouter"
    actions = [
      "logs:CreateLogStream",
      "logs:CreateLogGroup",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
      "logs:PutRetentionPolicy",
    ]
    resources = ["arn:${data.aws_partition.logging.partition}:logs:${data.aws_region.logging.name}:${data.aws_caller_identity.logging.account_id}:log-group:/${var.cluster_name}/*"]
  }
}

resource "aws_iam_role_policy" "fargate_logs" {
  name   = "fargate-logging"
  role   = aws_iam_role.this["fargate"].id
  policy = data.aws_iam_policy_document.fargate_logs.json
}
