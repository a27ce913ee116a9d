variable "cluster_name" {
  description = "Name of the EKS cluster (eks module output cluster_name): the controller tags what it creates with it."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster (network module output vpc_id). Required on Fargate: there is no instance metadata to discover it from."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID, vpc- followed by 8 or 17 hex digits."
  }
}

variable "region" {
  description = "AWS region of the cluster, e.g. eu-west-1. Required on Fargate for the same reason as vpc_id."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region such as eu-west-1."
  }
}

variable "role_arn" {
  description = "IRSA role of the controller (lb-controller module output role_arn), set as its ServiceAccount's eks.amazonaws.com/role-arn."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.role_arn))
    error_message = "role_arn must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME."
  }
}

variable "namespace" {
  description = "Namespace of the release; must be the one the role trusts (lb-controller module output namespace)."
  type        = string
  default     = "kube-system"
}

variable "service_account" {
  description = "ServiceAccount the chart creates; must be the one the role trusts (lb-controller module output service_account)."
  type        = string
  default     = "aws-load-balancer-controller"
}

variable "chart_version" {
  description = "Pinned aws-load-balancer-controller chart version (chart 3.5.0 ships controller v3.5.0). Move it together with the IAM policy in modules/lb-controller."
  type        = string
  default     = "3.5.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.chart_version))
    error_message = "chart_version must be an exact version MAJOR.MINOR.PATCH, never a range."
  }
}

variable "replicas" {
  description = "Controller replicas (1-3). Two keep the webhook answering while one pod moves."
  type        = number
  default     = 2

  validation {
    condition     = var.replicas >= 1 && var.replicas <= 3
    error_message = "replicas must be between 1 and 3."
  }
}

variable "tags" {
  description = "Tags for every resource; also passed to the controller as default tags of the load balancers it creates."
  type        = map(string)
  default     = {}
}

variable "cluster_endpoint" {
  description = "API endpoint of the cluster (eks unit output cluster_endpoint), https://...; checked by modules/cluster-connection."
  type        = string
}

variable "cluster_ca_data" {
  description = "Base64 certificate authority data of the endpoint (eks unit output cluster_ca_data); checked by modules/cluster-connection."
  type        = string
}

variable "api_tunnel" {
  description = "Local end of a port forward to a private endpoint, e.g. \"https://127.0.0.1:8443\" (export TF_VAR_api_tunnel=...; Terragrunt keeps a TF_VAR_ set in the environment). null connects to cluster_endpoint directly; checked by modules/cluster-connection."
  type        = string
  default     = null
}
