locals {
  # The caller as an IAM role or user ARN: an assumed-role session
  # (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION) names the role without
  # its path, so roles are compared by account and name.
  caller_arn     = data.aws_caller_identity.logging.arn
  caller_assumed = try(regex("^arn:[^:]+:sts::([0-9]{12}):assumed-role/([^/]+)/", local.caller_arn), null)
  caller_role    = try(regex("^arn:[^:]+:iam::([0-9]{12}):role/(?:.*/)?([^/]+)$", local.caller_arn), local.caller_assumed)
  entry_role_ids = { for a in distinct(concat(var.cluster_admin_arns, var.oncall_view_arns)) : a => try(regex("^arn:[^:]+:iam::([0-9]{12}):role/(?:.*/)?([^/]+)$", a), null) }
  caller_entries = [for a, id in local.entry_role_ids : a if a == local.caller_arn || (id != null && local.caller_role != null && jsonencode(id) == jsonencode(local.caller_role))]

  # One access entry per principal: EKS refuses a second one with 409. A
  # role in both lists gets the admin entry only (its policy covers what the
  # view policy allows), so the on-call entries are the rest (access.tf).
  oncall_only_arns = setsubtract(var.oncall_view_arns, var.cluster_admin_arns)
}

resource "aws_eks_cluster" "this" {
  name                      = var.cluster_name
  version                   = var.cluster_version
  role_arn                  = aws_iam_role.this["cluster"].arn
  enabled_cluster_log_types = var.cluster_log_types

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    public_access_cidrs     = var.endpoint_public_access ? var.public_access_cidrs : null
  }

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  # Extended support costs six times the control-plane price; STANDARD makes
  # EKS upgrade the cluster at the end of standard support instead.
  upgrade_policy {
    support_type = var.support_type
  }

  tags       = var.tags
  depends_on = [aws_iam_role_policy_attachment.this, aws_cloudwatch_log_group.cluster]

  lifecycle {
    precondition {
      condition     = !var.endpoint_public_access || length(coalesce(var.public_access_cidrs, [])) > 0
      error_message = "public_access_cidrs is required while endpoint_public_access is true: list the CIDRs that may reach the Kubernetes API (office, VPN egress)."
    }
    precondition {
      condition     = !var.endpoint_public_access || var.allow_api_from_anywhere || !contains(coalesce(var.public_access_cidrs, []), "0.0.0.0/0")
      error_message = "public_access_cidrs contains 0.0.0.0/0: the Kubernetes API would be open to the internet. Narrow it, or set allow_api_from_anywhere = true to mean it."
    }
    # EKS gives the creator (the role that applies) its own admin access
    # entry; an entry for the same principal in cluster_admin_arns or
    # oncall_view_arns is then a second one, and the apply fails with
    # "access entry resource is already in use" after the cluster exists.
    precondition {
      condition     = length(local.caller_entries) == 0
      error_message = "The role running this apply (${data.aws_caller_identity.logging.arn}) is also in cluster_admin_arns or oncall_view_arns (as ${join(", ", local.caller_entries)}): EKS already gives the cluster creator an admin access entry, so a second one fails with 409. Apply with a role in neither list (admin_role_arns and oncall_role_arns in live/<env>/env.hcl), or take it out of them."
    }
  }
}

# IRSA: the cluster's OIDC issuer as an IAM identity provider. (EKS Pod
# Identity is not available to Fargate pods, so IRSA it is.)
resource "aws_iam_openid_connect_provider" "this" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

# pricing_capacity = "spot": EC2 Spot capacity for the interruptible pricing
# pods, several instance types, labelled and tainted so only pricing lands.
resource "aws_eks_node_group" "pricing" {
  count = var.pricing_capacity == "spot" ? 1 : 0

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "pricing-spot"
  node_role_arn   = aws_iam_role.this["node"].arn
  subnet_ids      = var.private_subnet_ids
  capacity_type   = "SPOT"
  instance_types  = var.spot_instance_types
  ami_type        = "AL2023_x86_64_STANDARD"
  # Pinned: the nodes follow the control plane's version, and their AMI
  # release changes only when this value does (see local.node_release_version).
  version         = aws_eks_cluster.this.version
  release_version = local.node_release_version

  scaling_config {
    min_size     = var.spot_min_size
    desired_size = var.spot_desired_size
    max_size     = var.spot_max_size
  }

  # Pricing's nodes carry this label and taint; only pricing tolerates it.
  labels = { "stockprice.io/workload" = "pricing" }

  taint {
    key    = "stockprice.io/workload"
    value  = "pricing"
    effect = "NO_SCHEDULE"
  }

  update_config {
    max_unavailable = 1
  }

  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  tags = var.tags
  # The nodes need the CNI and kube-proxy add-ons to become Ready.
  depends_on = [aws_iam_role_policy_attachment.this, aws_eks_addon.this["vpc-cni"], aws_eks_addon.this["kube-proxy"]]
}
