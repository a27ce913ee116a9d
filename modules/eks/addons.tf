# EKS-managed add-ons, so a version upgrade moves them with the cluster: each
# one's version is the default for var.cluster_version unless addon_versions
# pins it.
#
# - coredns: EKS's own default CoreDNS carries the annotation
#   eks.amazonaws.com/compute-type: ec2, which no Fargate profile takes, and
#   the only EC2 nodes are the tainted pricing Spot nodes. computeType
#   Fargate drops that annotation; the add-on waits for the coredns profile.
# - metrics-server: the inventory HorizontalPodAutoscaler scales on CPU from
#   the metrics API. The EKS add-on serves on 10251 (10250 is Fargate's own
#   kubelet port) and runs on the metrics-server Fargate profile.
# - vpc-cni and kube-proxy: DaemonSets of the pricing Spot nodes.
locals {
  addons = {
    "vpc-cni"        = null
    "kube-proxy"     = null
    "coredns"        = jsonencode({ computeType = "Fargate" })
    "metrics-server" = null
  }
}

data "aws_eks_addon_version" "this" {
  for_each = local.addons

  addon_name         = each.key
  kubernetes_version = var.cluster_version
}

resource "aws_eks_addon" "this" {
  for_each = local.addons

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = lookup(var.addon_versions, each.key, data.aws_eks_addon_version.this[each.key].version)
  configuration_values        = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  tags                        = var.tags

  depends_on = [aws_eks_fargate_profile.this]
}

# The AMI release of the pricing nodes: var.node_release_version, else the
# recommended AL2023 release for the cluster version at plan time. Either
# way the plan shows it, and a new AMI rolls the nodes only through a plan.
data "aws_ssm_parameter" "node_release" {
  count = var.pricing_capacity == "spot" && var.node_release_version == null ? 1 : 0

  name = "/aws/service/eks/optimized-ami/${var.cluster_version}/amazon-linux-2023/x86_64/standard/recommended/release_version"
}

locals {
  node_release_version = var.node_release_version != null ? var.node_release_version : try(nonsensitive(data.aws_ssm_parameter.node_release[0].value), null)
}
