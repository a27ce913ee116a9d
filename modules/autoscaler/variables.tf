variable "cluster_name" {
  description = "Name of the EKS cluster whose node groups the autoscaler scales."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (eks unit output oidc_provider_arn)."
  type        = string
}

variable "service_account" {
  description = "The autoscaler's ServiceAccount in kube-system (the helm release sets the same name)."
  type        = string
  default     = "cluster-autoscaler"
}

variable "tags" {
  description = "Tags for the role."
  type        = map(string)
  default     = {}
}
