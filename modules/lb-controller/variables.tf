variable "name_prefix" {
  description = "Prefix of the IAM role and policy names, e.g. \"stockprice-dev\"."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (eks module output oidc_provider_arn); modules/irsa-role checks its form."
  type        = string
}

variable "cluster_name" {
  description = "Name of the EKS cluster (eks module output cluster_name): the controller's Fargate profile belongs to it."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the controller's Fargate pods (network module output private_subnet_ids)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) > 0
    error_message = "private_subnet_ids must list at least one subnet."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster (network module output vpc_id): the controller may only open security group ingress inside it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID, vpc- followed by 8 or 17 hex digits."
  }
}

variable "namespace" {
  description = "Namespace the controller runs in; the Helm release (modules/lb-controller-release) uses the same."
  type        = string
  default     = "kube-system"
}

variable "service_account" {
  description = "ServiceAccount of the controller; the one subject the role trusts."
  type        = string
  default     = "aws-load-balancer-controller"
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
