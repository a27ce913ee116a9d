# The cluster's controllers, pinned: External Secrets Operator (API tokens
# from Secrets Manager, modules/tokens) and the cluster autoscaler (the
# pricing Spot node group, modules/autoscaler). Both run on Fargate
# (modules/eks, fargate.tf): ESO by its namespace, the autoscaler by the
# pod label set below. A chart bump is a reviewed change of the versions
# here; the autoscaler's minor follows the cluster's (chart 9.59.0 ships
# autoscaler 1.35.0 for Kubernetes 1.35).
#
# On Fargate the kubelet owns port 10250 of the pod's address: a webhook or
# metrics listener there never answers (modules/eks/addons.tf says the same
# for metrics-server). External Secrets' chart puts its webhook on 10250 by
# default and registers it with failurePolicy Fail, so every SecretStore and
# ExternalSecret would be refused; it listens on 9443 here. A Fargate pod
# takes one to two minutes to be scheduled, so each release waits up to
# 600 s (Helm's default is 300) before `atomic` rolls it back.

locals {
  external_secrets_values = {
    installCRDs = true
    webhook     = { port = 9443 }
    # One replica: while it is away the synced Secret stays as it is, only
    # a rotation waits. Each Fargate pod costs about USD 9 a month.
    replicaCount = 1
  }

  cluster_autoscaler_values = {
    cloudProvider = "aws"
    awsRegion     = var.region
    autoDiscovery = { clusterName = var.cluster_name }
    podLabels     = { "stockprice.io/compute" = "fargate-controller" }
    rbac = {
      serviceAccount = {
        name        = "cluster-autoscaler"
        annotations = { "eks.amazonaws.com/role-arn" = var.autoscaler_role_arn }
      }
    }
    extraArgs = {
      expander                      = "least-waste"
      "balance-similar-node-groups" = true
      "skip-nodes-with-system-pods" = false
    }
  }
}

# KEDA scales pricing on the inventory queue's backlog (manifests/pricing/
# keda.yaml, rendered with --pricing-scaling keda). Its pods run on Fargate
# (modules/eks, the keda namespace's profile); its operator reads the queue
# as the pricing role, which it assumes from its own IRSA role
# (modules/irsa, keda_enabled). Its listeners: 6443 (metrics API), 9443
# (webhooks), 8080 (metrics), none on the Fargate kubelet's 10250.
locals {
  keda_values = {
    podIdentity = {
      aws = { irsa = { enabled = true, roleArn = coalesce(var.keda_role_arn, "unset") } }
    }
    serviceAccount = { operator = { name = "keda-operator" } }
    resources = {
      operator = {
        requests = { cpu = "100m", memory = "128Mi" }
        limits   = { cpu = "500m", memory = "512Mi" }
      }
    }
  }
}

resource "helm_release" "keda" {
  count = var.keda_enabled ? 1 : 0

  name             = "keda"
  repository       = "https://kedacore.github.io/charts"
  chart            = "keda"
  version          = var.keda_chart_version
  namespace        = var.keda_namespace
  create_namespace = true
  atomic           = true
  timeout          = 600

  values = [yamlencode(local.keda_values)]

  lifecycle {
    precondition {
      condition     = var.keda_role_arn != null
      error_message = "keda_role_arn is required while keda_enabled is true (irsa unit output keda_operator_role_arn)."
    }
  }
}

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.external_secrets_chart_version
  namespace        = var.external_secrets_namespace
  create_namespace = true
  atomic           = true
  timeout          = 600

  values = [yamlencode(local.external_secrets_values)]
}

resource "helm_release" "cluster_autoscaler" {
  name       = "cluster-autoscaler"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "cluster-autoscaler"
  version    = var.cluster_autoscaler_chart_version
  namespace  = "kube-system"
  atomic     = true
  timeout    = 600

  values = [yamlencode(local.cluster_autoscaler_values)]
}
