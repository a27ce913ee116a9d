variable "name" {
  description = "Name of the IAM role, e.g. \"stockprice-dev-pricing\"."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (eks module output oidc_provider_arn); the issuer the trust conditions name is the part after oidc-provider/."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN, arn:aws:iam::ACCOUNT:oidc-provider/ISSUER (eks output oidc_provider_arn)."
  }
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
