# Every Fargate profile of the cluster, one entry each (the shape of
# terraform-aws-eks' fargate_profiles): the profile name => whether it
# exists and the pods it selects (a namespace, and labels where the
# namespace is shared).
locals {
  fargate_profiles = {
    inventory = { enabled = true, selectors = [{ namespace = var.namespace, labels = { "app.kubernetes.io/name" = "inventory" } }] }
    # pricing_capacity = "fargate": pricing on Fargate (on-demand; EKS has no Fargate Spot).
    pricing = { enabled = var.pricing_capacity == "fargate", selectors = [{ namespace = var.namespace, labels = { "app.kubernetes.io/name" = "pricing" } }] }
    coredns = { enabled = true, selectors = [{ namespace = "kube-system", labels = { "k8s-app" = "kube-dns" } }] }
    # The add-on's pods carry one of these labels, depending on its version.
    metrics-server = {
      enabled = true
      selectors = [
        { namespace = "kube-system", labels = { "app.kubernetes.io/name" = "metrics-server" } },
        { namespace = "kube-system", labels = { "k8s-app" = "metrics-server" } },
      ]
    }
    # The metrics collector (ADOT, rendered into observability.yaml) runs on
    # Fargate whatever pricing_capacity says, so it scrapes both services and
    # needs no node. Only its own pods are selected, by label.
    telemetry = { enabled = true, selectors = [{ namespace = var.telemetry_namespace, labels = { "app.kubernetes.io/name" = "metrics-collector" } }] }
    # The cluster's controllers (modules/controllers-release): the only EC2
    # nodes are the tainted pricing Spot nodes, so External Secrets Operator
    # and KEDA (their own namespaces) and the cluster autoscaler (kube-system,
    # pods labelled below) run on Fargate. The autoscaler must not run on the
    # nodes it scales away. An unused profile (KEDA off) costs nothing.
    external-secrets   = { enabled = true, selectors = [{ namespace = var.external_secrets_namespace, labels = null }] }
    cluster-autoscaler = { enabled = true, selectors = [{ namespace = "kube-system", labels = { "stockprice.io/compute" = "fargate-controller" } }] }
    keda               = { enabled = true, selectors = [{ namespace = var.keda_namespace, labels = null }] }
  }
}

resource "aws_eks_fargate_profile" "this" {
  for_each = { for name, p in local.fargate_profiles : name => p.selectors if p.enabled }

  cluster_name           = aws_eks_cluster.this.name
  fargate_profile_name   = each.key
  pod_execution_role_arn = aws_iam_role.this["fargate"].arn
  subnet_ids             = var.private_subnet_ids

  dynamic "selector" {
    for_each = each.value
    content {
      namespace = selector.value.namespace
      labels    = selector.value.labels
    }
  }

  tags = var.tags
}

# Addresses before the profiles were one map.
moved {
  from = aws_eks_fargate_profile.inventory
  to   = aws_eks_fargate_profile.this["inventory"]
}

moved {
  from = aws_eks_fargate_profile.coredns
  to   = aws_eks_fargate_profile.this["coredns"]
}

moved {
  from = aws_eks_fargate_profile.pricing[0]
  to   = aws_eks_fargate_profile.this["pricing"]
}

moved {
  from = aws_eks_fargate_profile.metrics_server
  to   = aws_eks_fargate_profile.this["metrics-server"]
}

moved {
  from = aws_eks_fargate_profile.telemetry
  to   = aws_eks_fargate_profile.this["telemetry"]
}

moved {
  from = aws_eks_fargate_profile.external_secrets
  to   = aws_eks_fargate_profile.this["external-secrets"]
}

moved {
  from = aws_eks_fargate_profile.cluster_autoscaler
  to   = aws_eks_fargate_profile.this["cluster-autoscaler"]
}

moved {
  from = aws_eks_fargate_profile.keda
  to   = aws_eks_fargate_profile.this["keda"]
}
