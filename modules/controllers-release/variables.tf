variable "cluster_name" {
  description = "Name of the EKS cluster to install the controllers in."
  type        = string
}

variable "region" {
  description = "AWS region of the cluster, e.g. \"eu-west-1\"."
  type        = string
}

variable "autoscaler_role_arn" {
  description = "IRSA role of the cluster autoscaler (autoscaler unit output role_arn)."
  type        = string
}

variable "external_secrets_namespace" {
  description = "Namespace of External Secrets Operator; must match the eks module's Fargate profile."
  type        = string
  default     = "external-secrets"
}

variable "external_secrets_chart_version" {
  description = "Pinned external-secrets chart version (serves external-secrets.io/v1, which the manifests use)."
  type        = string
  default     = "0.20.4"
}

variable "cluster_autoscaler_chart_version" {
  description = "Pinned cluster-autoscaler chart version; its app version must match the cluster's minor (9.59.0 = autoscaler 1.35.0)."
  type        = string
  default     = "9.59.0"
}

variable "tags" {
  description = "Accepted because live/root.hcl passes tags to every unit; helm releases carry no AWS tags."
  type        = map(string)
  default     = {}
}
