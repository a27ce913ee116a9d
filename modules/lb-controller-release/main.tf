# Installs the AWS Load Balancer Controller with Helm at a pinned chart
# version, on Fargate (the profile and the IRSA role come from
# modules/lb-controller). The helm provider talks to the cluster with a token
# from `aws eks get-token`, so the machine that applies needs the AWS CLI.
#
# The local provider mirror holds only hashicorp/aws: this module is parsed
# and graph-checked offline, but never planned there.

# Where the provider connects: the eks unit's endpoint and CA, or
# api_tunnel for prod's private endpoint (modules/cluster-connection).
module "connection" {
  source = "../cluster-connection"

  cluster_endpoint = var.cluster_endpoint
  cluster_ca_data  = var.cluster_ca_data
  api_tunnel       = var.api_tunnel
}

provider "helm" {
  kubernetes = {
    host                   = module.connection.host
    tls_server_name        = module.connection.tls_server_name
    cluster_ca_certificate = module.connection.cluster_ca_certificate
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", var.cluster_name, "--region", var.region]
    }
  }
}

locals {
  values = {
    clusterName  = var.cluster_name
    region       = var.region
    vpcId        = var.vpc_id
    replicaCount = var.replicas

    serviceAccount = {
      create      = true
      name        = var.service_account
      annotations = { "eks.amazonaws.com/role-arn" = var.role_arn }
    }

    # Only WAFv2 (the optional web ACL); the IAM policy grants nothing for
    # WAF Classic or Shield.
    enableWaf    = false
    enableShield = false
    enableWafv2  = true

    # The ALB targets pod IPs (Fargate has no nodes to register), and the
    # webhook adds the target-health readiness gate to pods in namespaces
    # labelled elbv2.k8s.aws/pod-readiness-gate-inject=enabled.
    defaultTargetType            = "ip"
    enablePodReadinessGateInject = true

    # No Service of type LoadBalancer here (the ALB comes from the Ingress),
    # so no webhook on every Service create in the cluster: with it, any
    # Service created while the controller's pods are not ready (its own
    # first minutes on Fargate, the controllers unit's charts beside it) is
    # refused with "no endpoints available for service".
    enableServiceMutatorWebhook = false

    defaultTags         = var.tags
    podDisruptionBudget = { maxUnavailable = 1 }

    resources = {
      requests = { cpu = "100m", memory = "128Mi" }
      limits   = { cpu = "250m", memory = "256Mi" }
    }
  }
}

resource "helm_release" "this" {
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.chart_version
  namespace  = var.namespace

  values = [yamlencode(local.values)]

  # Wait for the controller (and its webhook) to be ready, so a pipeline
  # deploy that follows finds the IngressClass and a working webhook; a
  # Fargate pod takes one to two minutes to be scheduled, hence 600 s, and
  # a release that still fails is rolled back.
  wait    = true
  timeout = 600
  atomic  = true
}
