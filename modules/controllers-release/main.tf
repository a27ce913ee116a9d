# The cluster's controllers, pinned: External Secrets Operator (API tokens
# from Secrets Manager, modules/tokens) and the cluster autoscaler (the
# pricing Spot node group, modules/autoscaler). Both run on Fargate
# (modules/eks, controllers.tf): ESO by its namespace, the autoscaler by the
# pod label set below. A chart bump is a reviewed change of the versions
# here; the autoscaler's minor follows the cluster's (chart 9.59.0 ships
# autoscaler 1.35.0 for Kubernetes 1.35).

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.external_secrets_chart_version
  namespace        = var.external_secrets_namespace
  create_namespace = true
  atomic           = true

  values = [yamlencode({
    installCRDs = true
    # One replica: while it is away the synced Secret stays as it is, only
    # a rotation waits. Each Fargate pod costs about USD 9 a month.
    replicaCount = 1
  })]
}

resource "helm_release" "cluster_autoscaler" {
  name       = "cluster-autoscaler"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "cluster-autoscaler"
  version    = var.cluster_autoscaler_chart_version
  namespace  = "kube-system"
  atomic     = true

  values = [yamlencode({
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
  })]
}
