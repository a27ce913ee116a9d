# The controller runs on Fargate like inventory: a profile of its own selects
# its pods (namespace + the chart's app.kubernetes.io/name label), so the
# profiles of modules/eks stay as they are. Its pod execution role only pulls
# images and writes nothing else.

data "aws_iam_policy_document" "fargate_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["eks-fargate-pods.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.arn}:eks:${local.where}:fargateprofile/${var.cluster_name}/*"]
    }
  }
}

resource "aws_iam_role" "fargate" {
  name               = "${var.name_prefix}-lb-controller-fargate"
  assume_role_policy = data.aws_iam_policy_document.fargate_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "fargate" {
  role       = aws_iam_role.fargate.name
  policy_arn = "${local.arn}:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy"
}

resource "aws_eks_fargate_profile" "this" {
  cluster_name           = var.cluster_name
  fargate_profile_name   = "lb-controller"
  pod_execution_role_arn = aws_iam_role.fargate.arn
  subnet_ids             = var.private_subnet_ids

  selector {
    namespace = var.namespace
    labels    = { "app.kubernetes.io/name" = "aws-load-balancer-controller" }
  }

  tags       = var.tags
  depends_on = [aws_iam_role_policy_attachment.fargate]
}
