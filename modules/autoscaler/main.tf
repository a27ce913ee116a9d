# IAM for the cluster autoscaler (modules/controllers-release installs it),
# IRSA for system:serviceaccount:kube-system:cluster-autoscaler. It finds the
# Spot node group's Auto Scaling group by the tags EKS puts on managed node
# groups (k8s.io/cluster-autoscaler/enabled, .../<cluster> = owned) and may
# change only groups tagged as owned by this cluster.

module "role" {
  source = "../irsa-role"

  name              = "${var.cluster_name}-cluster-autoscaler"
  oidc_provider_arn = var.oidc_provider_arn
  namespace         = "kube-system"
  service_account   = var.service_account
  inline_policies   = { cluster-autoscaler = data.aws_iam_policy_document.this.json }
  tags              = var.tags
}

data "aws_iam_policy_document" "this" {
  # Read calls that IAM authorizes only on "*".
  statement {
    sid = "Discover"
    actions = [
      "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities",
      "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "DescribeNodegroups"
    actions   = ["eks:DescribeNodegroup"]
    resources = ["arn:${data.aws_partition.current.partition}:eks:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:nodegroup/${var.cluster_name}/*/*"]
  }

  # Scaling: only the groups this cluster owns.
  statement {
    sid       = "ScaleOwnGroups"
    actions   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}"
      values   = ["owned"]
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

# Addresses before the role was written once in modules/irsa-role.
moved {
  from = aws_iam_role.this
  to   = module.role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.this
  to   = module.role.aws_iam_role_policy.this["cluster-autoscaler"]
}
