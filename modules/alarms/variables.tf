variable "name_prefix" {
  description = "Prefix of the alarm, topic and dashboard names, e.g. \"stockprice-dev\"."
  type        = string
}

variable "queue_name" {
  description = "Name of inventory-update-queue (the alarm's QueueName dimension)."
  type        = string
}

variable "dlq_name" {
  description = "Name of inventory-update-dlq."
  type        = string
}

variable "price_queue_name" {
  description = "Name of price-change-queue (shown on the dashboard)."
  type        = string
}

variable "backlog_threshold" {
  description = "Visible messages in the inventory queue above which the backlog alarm fires (1 or more)."
  type        = number
  default     = 50

  validation {
    condition     = var.backlog_threshold >= 1
    error_message = "backlog_threshold must be 1 or more."
  }
}

variable "backlog_minutes" {
  description = "Minutes the backlog must stay above the threshold before the alarm fires (1-60); one 60 s period per minute."
  type        = number
  default     = 5

  validation {
    condition     = var.backlog_minutes >= 1 && var.backlog_minutes <= 60
    error_message = "backlog_minutes must be between 1 and 60."
  }
}

variable "oldest_message_age_seconds" {
  description = "Age of the oldest message in the inventory queue that raises the age alarm (60 or more)."
  type        = number
  default     = 600
}

variable "subscriptions" {
  description = "Who is paged: a list of {protocol = \"email\" | \"https\", endpoint}. Email subscriptions must be confirmed from the mail."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.subscriptions : contains(["email", "https"], s.protocol)])
    error_message = "subscriptions[*].protocol must be email or https."
  }
}

variable "kms_key_id" {
  description = "Customer managed KMS key (ID, ARN or alias) for the SNS topic, whose policy must let cloudwatch.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt; null (the default) creates such a key. AWS managed keys (alias/aws/...) are refused: CloudWatch cannot publish to a topic encrypted with one."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_id == null || !can(regex("alias/aws/", var.kms_key_id))
    error_message = "kms_key_id must be null (a key is created) or a customer managed key; an AWS managed key such as alias/aws/sns cannot let CloudWatch publish to the topic."
  }
}

variable "tags" {
  description = "Tags for the topic and alarms."
  type        = map(string)
  default     = {}
}

variable "pager_subscriptions" {
  description = <<-EOT
    Who else is paged, on any SNS protocol: a list of {protocol, endpoint, raw_message_delivery (false), endpoint_auto_confirms (false), subscription_role_arn (firehose only), filter_policy (JSON)}.
    protocol is one of http, https, email, email-json, sms, sqs, lambda, firehose, application. An incident tool's HTTPS integration URL is the usual pager;
    set endpoint_auto_confirms = true when the endpoint confirms the subscription itself. A lambda entry gets the function permission SNS needs to invoke it
    (subscriptions.tf); an sqs entry needs a policy on that queue allowing sqs:SendMessage from the alerts topic (and its KMS key, if encrypted), set by the queue's owner.
  EOT
  type = list(object({
    protocol               = string
    endpoint               = string
    raw_message_delivery   = optional(bool, false)
    endpoint_auto_confirms = optional(bool, false)
    subscription_role_arn  = optional(string)
    filter_policy          = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.pager_subscriptions : contains(["http", "https", "email", "email-json", "sms", "sqs", "lambda", "firehose", "application"], s.protocol)])
    error_message = "pager_subscriptions[*].protocol must be one of http, https, email, email-json, sms, sqs, lambda, firehose, application."
  }

  validation {
    condition     = alltrue([for s in var.pager_subscriptions : s.protocol != "https" || startswith(s.endpoint, "https://")])
    error_message = "pager_subscriptions[*].endpoint must start with https:// when protocol is https."
  }

  validation {
    condition     = alltrue([for s in var.pager_subscriptions : s.protocol != "firehose" || s.subscription_role_arn != null])
    error_message = "pager_subscriptions[*].subscription_role_arn is required when protocol is firehose."
  }
}


variable "monthly_budget_usd" {
  description = "Monthly cost budget of the account in USD (1-1000000); the alerts topic hears at 80 % actual and 100 % forecast. Start from the README's fixed monthly cost of the environment plus the traffic you expect."
  type        = number

  validation {
    condition     = var.monthly_budget_usd >= 1 && var.monthly_budget_usd <= 1000000
    error_message = "monthly_budget_usd must be between 1 and 1000000 (USD per month)."
  }
}

variable "scan_repository_prefix" {
  description = "ECR repository name prefix whose scan findings (HIGH and CRITICAL) reach the notices topic, e.g. \"stockprice/\"."
  type        = string
  default     = "stockprice/"
}

variable "notice_subscriptions" {
  description = "Who reads the notices topic (scan findings, budget), which never pages: a list of {protocol = \"email\" | \"https\", endpoint}, e.g. the team's mailing list."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.notice_subscriptions : contains(["email", "https"], s.protocol)])
    error_message = "notice_subscriptions[*].protocol must be email or https."
  }
}

variable "pipeline_name" {
  description = "CodePipeline pipeline whose FAILED executions page; null means name_prefix (the name modules/pipeline gives it)."
  type        = string
  default     = null
}

variable "build_project_name" {
  description = "CodeBuild project whose FAILED builds page; null means \"<name_prefix>-build\" (the name modules/pipeline gives it)."
  type        = string
  default     = null
}

variable "environment" {
  description = "dev | prod: the environment as npm run dlq -- --env takes it, named in the DLQ alarm's runbook line."
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "price_queue_consumed" {
  description = "A consumer reads price-change-queue (outside this project, which only produces to it): creates the alarm on its oldest decision. false (the default) while nothing reads the queue, where the alarm would page for nobody."
  type        = bool
  default     = false
}

variable "updates_arriving_enabled" {
  description = "Create the updates-arriving alarm (true where updates must always flow, e.g. prod; false where quiet hours are normal)."
  type        = bool
  default     = false
}

variable "updates_arriving_floor" {
  description = "Fewest messages expected in the inventory queue per updates_arriving_minutes (SQS counts messages, each a packed batch of up to about 180 stock updates at the default 64 KiB); fewer, or no data, raises the alarm (1 or more)."
  type        = number
  default     = 1

  validation {
    condition     = var.updates_arriving_floor >= 1
    error_message = "updates_arriving_floor must be 1 or more."
  }
}

variable "updates_arriving_minutes" {
  description = "Window of the updates-arriving alarm in minutes (5-1440, a multiple of 5; SQS metrics arrive once a minute, a longer window rides out quiet minutes)."
  type        = number
  default     = 15

  validation {
    condition     = var.updates_arriving_minutes >= 5 && var.updates_arriving_minutes <= 1440 && var.updates_arriving_minutes % 5 == 0
    error_message = "updates_arriving_minutes must be a multiple of 5 between 5 and 1440."
  }
}

variable "price_queue_age_seconds" {
  description = "Age of the oldest message in price-change-queue that raises its alarm (60 or more). Raise it while nothing consumes the queue downstream yet."
  type        = number
  default     = 3600

  validation {
    condition     = var.price_queue_age_seconds >= 60
    error_message = "price_queue_age_seconds must be 60 or more."
  }
}
