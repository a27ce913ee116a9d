# Compute for the cluster's controllers (modules/controllers-release): the
# only EC2 nodes are the tainted pricing Spot nodes, so External Secrets
# Operator (its own namespace) and the cluster autoscaler (kube-system, pods
# labelled below) run on Fargate. The autoscaler must not run on the nodes
# it scales away.

resource "aws_eks_fargate_profile" "external_secrets" {
  cluster_name           = aws_eks_cluster.this.name
  fargate_profile_name   = "external-secrets"
  pod_execution_role_arn = aws_iam_role.fargate.arn
  subnet_ids             = var.private_subnet_ids

  selector {
    namespace = var.external_secrets_namespace
  }

  tags = var.tags
}

resource "aws_eks_fargate_profile" "cluster_autoscaler" {
  cluster_name           = aws_eks_cluster.this.name
  fargate_profile_name   = "cluster-autoscaler"
  pod_execution_role_arn = aws_iam_role.fargate.arn
  subnet_ids             = var.private_subnet_ids

  selector {
    namespace = "kube-system"
    labels    = { "stockprice.io/compute" = "fargate-controller" }
  }

  tags = var.tags
}

# KEDA (modules/controllers-release, keda_enabled): its namespace on Fargate,
# like External Secrets. An unused profile costs nothing.
resource "aws_eks_fargate_profile" "keda" {
  cluster_name           = aws_eks_cluster.this.name
  fargate_profile_name   = "keda"
  pod_execution_role_arn = aws_iam_role.fargate.arn
  subnet_ids             = var.private_subnet_ids

  selector {
    namespace = var.keda_namespace
  }

  tags = var.tags
}
