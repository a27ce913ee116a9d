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

variable "keda_enabled" {
  description = "Install KEDA (scales pricing on the queue backlog); must match the irsa unit's keda_enabled and the pipeline's render (PRICING_SCALING)."
  type        = bool
  default     = false
}

variable "keda_role_arn" {
  description = "IRSA role of KEDA's operator (irsa unit output keda_operator_role_arn); required when keda_enabled."
  type        = string
  default     = null
}

variable "keda_namespace" {
  description = "Namespace of KEDA; must match the eks module's keda Fargate profile and the irsa module's keda_namespace."
  type        = string
  default     = "keda"
}

variable "keda_chart_version" {
  description = "Pinned kedacore/keda chart version (2.18.1 ships KEDA 2.18.1, which serves keda.sh/v1alpha1 and the aws-sqs-queue scaler with identityOwner workload)."
  type        = string
  default     = "2.18.1"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.keda_chart_version))
    error_message = "keda_chart_version must be an exact version MAJOR.MINOR.PATCH, never a range."
  }
}
