# The metrics collector (ADOT, rendered into observability.yaml) runs on
# Fargate whatever pricing_capacity says, so it scrapes both services and
# needs no node. Only its own pods are selected, by label.
resource "aws_eks_fargate_profile" "telemetry" {
  cluster_name           = aws_eks_cluster.this.name
  fargate_profile_name   = "telemetry"
  pod_execution_role_arn = aws_iam_role.fargate.arn
  subnet_ids             = var.private_subnet_ids

  selector {
    namespace = var.telemetry_namespace
    labels    = { "app.kubernetes.io/name" = "metrics-collector" }
  }

  tags = var.tags
}
