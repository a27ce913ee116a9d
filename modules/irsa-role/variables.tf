variable "name" {
  description = "Name of the IAM role, e.g. \"stockprice-dev-pricing\"."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (eks module output oidc_provider_arn)."
  type        = string
}

variable "oidc_issuer_url" {
  description = "The cluster's OIDC issuer URL, with or without https:// (eks module output oidc_issuer_url)."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the ServiceAccount the role trusts."
  type        = string
}

variable "service_account" {
  description = "Name of the ServiceAccount the role trusts."
  type        = string
}

variable "assumed_by" {
  description = "IAM role ARNs that may also assume this role (sts:AssumeRole), by statement id, e.g. { KedaOperator = \"arn:...:role/x\" }; empty for none."
  type        = map(string)
  default     = {}
}

variable "inline_policies" {
  description = "Inline policies of the role: policy name => policy JSON. The names must be known at plan time."
  type        = map(string)
  default     = {}
}

variable "policy_arns" {
  description = "Managed policies attached to the role: a key known at plan time => policy ARN."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags for the role."
  type        = map(string)
  default     = {}
}
