variable "name_prefix" {
  description = "Prefix of the IAM role names, e.g. \"stockprice-dev\"."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (eks module output oidc_provider_arn)."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the services."
  type        = string
  default     = "stockprice"
}

variable "inventory_service_account" {
  description = "ServiceAccount of the inventory pods."
  type        = string
  default     = "inventory"
}

variable "pricing_service_account" {
  description = "ServiceAccount of the pricing pods."
  type        = string
  default     = "pricing"
}

variable "inventory_queue_arn" {
  description = "ARN of inventory-update-queue."
  type        = string
}

variable "inventory_dlq_arn" {
  description = "ARN of inventory-update-dlq: pricing sends a malformed event of a packed message there on its own."
  type        = string
}

variable "price_queue_arn" {
  description = "ARN of price-change-queue."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key of the queues; null when they use SSE-SQS (then no KMS permission is granted)."
  type        = string
  default     = null
}

variable "keda_enabled" {
  description = "Create the IAM KEDA needs (render --keda): a role for KEDA's operator that may assume the pricing role, and sqs:GetQueueAttributes on the inventory queue for the pricing role."
  type        = bool
  default     = false
}

variable "keda_namespace" {
  description = "Namespace KEDA is installed in."
  type        = string
  default     = "keda"
}

variable "keda_service_account" {
  description = "ServiceAccount of KEDA's operator."
  type        = string
  default     = "keda-operator"
}

variable "tags" {
  description = "Tags for the roles."
  type        = map(string)
  default     = {}
}
