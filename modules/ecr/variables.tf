variable "repositories" {
  description = "One ECR repository per service, by name."
  type        = list(string)
  default     = ["inventory", "pricing"]
}

variable "name_prefix" {
  description = "Prefix for repository names, e.g. \"stockprice/\"; empty for none."
  type        = string
  default     = "stockprice/"
}

variable "keep_images" {
  description = "Images kept per repository by the lifecycle policy (1-1000); older ones expire. Unused when expire_after_days is set."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_images >= 1 && var.keep_images <= 1000
    error_message = "keep_images must be between 1 and 1000."
  }
}

variable "expire_after_days" {
  description = "When set, images expire this many days after they arrive (pushed or replicated in), instead of by count (keep_images). Required in a registry that receives another environment's builds (replication_source_accounts): there every new build is the other environment's, and a count would expire the image this one runs."
  type        = number
  default     = null

  validation {
    condition     = var.expire_after_days == null ? true : var.expire_after_days >= 1 && var.expire_after_days <= 3650
    error_message = "expire_after_days must be null or between 1 and 3650."
  }
}

variable "tags" {
  description = "Tags for every repository."
  type        = map(string)
  default     = {}
}

variable "replicate_to_accounts" {
  description = "Registries this one replicates to in other accounts, as [{account_id, region}]: dev lists prod, which then deploys the digests dev built. The destination must list this account in replication_source_accounts."
  type = list(object({
    account_id = string
    region     = string
  }))
  default = []

  validation {
    condition     = alltrue([for d in var.replicate_to_accounts : can(regex("^[0-9]{12}$", d.account_id))])
    error_message = "replicate_to_accounts[*].account_id must be a 12-digit AWS account ID."
  }
}

variable "replicate_to_regions" {
  description = "Other regions of this account to replicate the images to (optional; a recovery region, docs/deploy-aws.md). Empty: no cross-region copy."
  type        = list(string)
  default     = []
}

variable "replication_source_accounts" {
  description = "Accounts whose registries may replicate into this one (prod lists dev's account). Empty: no registry policy."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.replication_source_accounts : can(regex("^[0-9]{12}$", a))])
    error_message = "replication_source_accounts must be 12-digit AWS account IDs."
  }
}
