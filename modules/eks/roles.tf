# The IAM roles AWS services assume for the cluster, one entry each (the
# shape of fargate_profiles in fargate.tf): whether it exists, the service
# that assumes it, and the AWS managed policies attached to it.
locals {
  service_roles = {
    cluster = {
      enabled  = true
      name     = "${var.cluster_name}-cluster"
      service  = "eks.amazonaws.com"
      policies = ["AmazonEKSClusterPolicy"]
    }
    # The Fargate pod execution role (fargate.tf; its logs grant: logging.tf).
    fargate = {
      enabled  = true
      name     = "${var.cluster_name}-fargate"
      service  = "eks-fargate-pods.amazonaws.com"
      policies = ["AmazonEKSFargatePodExecutionRolePolicy"]
    }
    # The pricing Spot nodes (pricing_capacity = "spot", main.tf).
    node = {
      enabled  = var.pricing_capacity == "spot"
      name     = "${var.cluster_name}-pricing-node"
      service  = "ec2.amazonaws.com"
      policies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"]
    }
    # The Session Manager host (admin-host.tf).
    admin-host = {
      enabled  = var.admin_host
      name     = "${var.cluster_name}-admin-host"
      service  = "ec2.amazonaws.com"
      policies = ["AmazonSSMManagedInstanceCore"]
    }
  }

  roles = { for k, r in local.service_roles : k => r if r.enabled }
  # "<role>/<policy>" => the pair, for one attachment each.
  role_policies = merge([for k, r in local.roles : { for p in r.policies : "${k}/${p}" => { role = k, policy = p } }]...)
}

data "aws_iam_policy_document" "assume" {
  for_each = local.roles

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [each.value.service]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name               = each.value.name
  assume_role_policy = data.aws_iam_policy_document.assume[each.key].json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = local.role_policies

  role       = aws_iam_role.this[each.value.role].name
  policy_arn = "arn:aws:iam::aws:policy/${each.value.policy}"
}

# Addresses before the roles were one map.
moved {
  from = aws_iam_role.cluster
  to   = aws_iam_role.this["cluster"]
}

moved {
  from = aws_iam_role.fargate
  to   = aws_iam_role.this["fargate"]
}

moved {
  from = aws_iam_role.node[0]
  to   = aws_iam_role.this["node"]
}

moved {
  from = aws_iam_role.admin_host[0]
  to   = aws_iam_role.this["admin-host"]
}

moved {
  from = aws_iam_role_policy_attachment.cluster
  to   = aws_iam_role_policy_attachment.this["cluster/AmazonEKSClusterPolicy"]
}

moved {
  from = aws_iam_role_policy_attachment.fargate
  to   = aws_iam_role_policy_attachment.this["fargate/AmazonEKSFargatePodExecutionRolePolicy"]
}

moved {
  from = aws_iam_role_policy_attachment.node["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"]
  to   = aws_iam_role_policy_attachment.this["node/AmazonEKSWorkerNodePolicy"]
}

moved {
  from = aws_iam_role_policy_attachment.node["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]
  to   = aws_iam_role_policy_attachment.this["node/AmazonEKS_CNI_Policy"]
}

moved {
  from = aws_iam_role_policy_attachment.node["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"]
  to   = aws_iam_role_policy_attachment.this["node/AmazonEC2ContainerRegistryReadOnly"]
}

moved {
  from = aws_iam_role_policy_attachment.admin_host[0]
  to   = aws_iam_role_policy_attachment.this["admin-host/AmazonSSMManagedInstanceCore"]
}
