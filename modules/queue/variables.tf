variable "fifo" {
  description = "Create FIFO queues (names get the .fifo suffix). The services detect FIFO from the queue URL."
  type        = bool
  default     = false
}

variable "max_receive_count" {
  description = "Receives of a message before SQS moves it to inventory-update-dlq (1-1000). 10 spans about 13.5 minutes of pricing's retry backoff, so a short downstream failure sends no healthy update to the DLQ (src/shared/names.ts, DEFAULT_MAX_RECEIVE_COUNT). The local stack uses the same default."
  type        = number
  default     = 10

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the queues in seconds (0-43200); pricing's VISIBILITY_TIMEOUT_S must match."
  type        = number
  default     = 30

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 0 and 43200."
  }
}

variable "message_retention_seconds" {
  description = "How long the work queues keep a message (60-864000 seconds, at most 10 days). The DLQ keeps 14 days, SQS's longest, counted from when an update first arrived (a move to the DLQ keeps that time), so this cap leaves every dead-lettered update at least 4 days there to be redriven."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 864000
    error_message = "message_retention_seconds must be between 60 and 864000 (10 days): the DLQ keeps 14 days from an update's arrival, and must hold it at least 4 days after it is dead-lettered."
  }
}

variable "max_message_size" {
  description = "Largest message in bytes (1024-1048576). SQS accepts 1 MiB, but provider versions up to at least 5.100.0 (the one the live layer pins) refuse more than 262144 at plan, so that is the default; an update message is under 1 KiB."
  type        = number
  default     = 262144

  validation {
    condition     = var.max_message_size >= 1024 && var.max_message_size <= 1048576
    error_message = "max_message_size must be between 1024 and 1048576."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for server-side encryption; null uses SQS-managed encryption (SSE-SQS)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every queue."
  type        = map(string)
  default     = {}
}

variable "name_prefix" {
  description = "Prefix of the IAM policy name, e.g. \"stockprice-dev\" (the queues themselves are not prefixed: one environment per account)."
  type        = string
  default     = "stockprice"
}

variable "redrive_role_arns" {
  description = "IAM roles (the on-call's) given the DLQ redrive policy: peek into the DLQ and move its messages back to the inventory queue (npm run dlq), nothing more."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.redrive_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "redrive_role_arns must be IAM role ARNs (arn:aws:iam::ACCOUNT:role/NAME)."
  }
}
