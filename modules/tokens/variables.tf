variable "name" {
  description = "Environment name, e.g. \"stockprice-prod\"; the secret is <name>/inventory-api-tokens."
  type        = string
}

variable "inventory_role_arn" {
  description = "ARN of the inventory IRSA role (irsa unit output inventory_role_arn); External Secrets Operator reads the secret as this role."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.inventory_role_arn))
    error_message = "inventory_role_arn must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)."
  }
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored (7-30); 0 deletes it at once, without recovery. Secrets Manager keeps a deleted secret's name for the whole window, so an environment torn down with 7-30 cannot be applied again until the window ends (or the secret is restored and imported); 0 suits one that is torn down and rebuilt (dev)."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 (no recovery) or between 7 and 30."
  }
}

variable "tags" {
  description = "Tags for the secret."
  type        = map(string)
  default     = {}
}
