variable "name_prefix" {
  description = "Prefix of every name, the environment's name, e.g. \"stockprice-dev\" (the cluster's name too). Log groups are /<name_prefix>/inventory, /<name_prefix>/pricing and /<name_prefix>/metrics."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be 2-41 characters of a-z 0-9 -, starting with a letter or digit."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic every alarm notifies on ALARM and on OK (alarms module output topic_arn)."
  type        = string
}

variable "queue_name" {
  description = "Name of inventory-update-queue (the updates-arriving alarm and the dashboard)."
  type        = string
}

variable "price_queue_name" {
  description = "Name of price-change-queue (its oldest-message alarm and the dashboard)."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (eks module output), trusted by the telemetry roles."
  type        = string
}

variable "telemetry_namespace" {
  description = "Kubernetes namespace of the metrics collector and the Spot nodes' Fluent Bit (as rendered by scripts/render)."
  type        = string
  default     = "stockprice-telemetry"
}

variable "collector_service_account" {
  description = "ServiceAccount of the metrics collector (ADOT), trusted by its IRSA role."
  type        = string
  default     = "metrics-collector"
}

variable "fluent_bit_service_account" {
  description = "ServiceAccount of the Fluent Bit DaemonSet on the pricing Spot nodes, trusted by its IRSA role."
  type        = string
  default     = "fluent-bit"
}

variable "log_retention_days" {
  description = "Days the service log groups keep events; one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "metrics_log_retention_days" {
  description = "Days the EMF events of the metrics group are kept (the metrics themselves live on in CloudWatch Metrics); same allowed values as log_retention_days."
  type        = number
  default     = 7

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.metrics_log_retention_days)
    error_message = "metrics_log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key ARN for the log groups; null = CloudWatch Logs' own encryption. The key policy must allow logs.<region>.amazonaws.com to use it."
  type        = string
  default     = null
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the services' metrics; the collector's EMF exporter writes to the same one (scripts/render/observability.ts)."
  type        = string
  default     = "Stockprice"
}

variable "evaluation_minutes" {
  description = "Window of the service alarms in minutes (1-60): the 5xx rate must stay high for this many one-minute periods; counts are summed over it."
  type        = number
  default     = 5

  validation {
    condition     = var.evaluation_minutes >= 1 && var.evaluation_minutes <= 60
    error_message = "evaluation_minutes must be between 1 and 60."
  }
}

variable "inventory_5xx_percent" {
  description = "Share of inventory answers that are 5xx, in percent (0-100), above which the 5xx alarm fires."
  type        = number
  default     = 5

  validation {
    condition     = var.inventory_5xx_percent >= 0 && var.inventory_5xx_percent <= 100
    error_message = "inventory_5xx_percent must be between 0 and 100."
  }
}

variable "inventory_min_requests" {
  description = "Requests a minute below which the 5xx rate counts as 0, so one failed request at night does not page (1 or more)."
  type        = number
  default     = 10

  validation {
    condition     = var.inventory_min_requests >= 1
    error_message = "inventory_min_requests must be 1 or more."
  }
}

variable "publish_failures_threshold" {
  description = "Failed SendMessageBatch calls within the window above which the publish-failures alarm fires (0 or more; the publisher retries, so a few are normal)."
  type        = number
  default     = 5

  validation {
    condition     = var.publish_failures_threshold >= 0
    error_message = "publish_failures_threshold must be 0 or more."
  }
}

variable "pricing_failed_threshold" {
  description = "Messages pricing returned for a retry within the window above which the pricing-failed alarm fires (0 or more)."
  type        = number
  default     = 10

  validation {
    condition     = var.pricing_failed_threshold >= 0
    error_message = "pricing_failed_threshold must be 0 or more."
  }
}

variable "pricing_poison_threshold" {
  description = "Poison messages within the window above which the poison alarm fires (0 or more; 0 = any poison message)."
  type        = number
  default     = 0

  validation {
    condition     = var.pricing_poison_threshold >= 0
    error_message = "pricing_poison_threshold must be 0 or more."
  }
}

variable "alb_alarm_enabled" {
  description = "Alarm on the 5xx answers the inventory ALB gives itself (HTTPCode_ELB_5XX_Count), which inventory's own metrics never see. The ALB exists only after the first pipeline deploy: set true then, and apply this unit again."
  type        = bool
  default     = false
}

variable "load_balancer_name" {
  description = "Name of the inventory Ingress's ALB (its alb.ingress.kubernetes.io/load-balancer-name, \"<env name>-inventory\"); looked up only while alb_alarm_enabled."
  type        = string
  default     = null
}

variable "alb_5xx_threshold" {
  description = "5xx answers of the ALB itself within the window above which the ALB alarm fires (0 or more). A rolling deploy or a Fargate move gives none: each pod leaves the target group before it stops."
  type        = number
  default     = 10

  validation {
    condition     = var.alb_5xx_threshold >= 0
    error_message = "alb_5xx_threshold must be 0 or more."
  }
}

variable "dashboard_statuses" {
  description = "HTTP statuses of inventory shown on the dashboard's answers-per-status widget."
  type        = list(string)
  default     = ["202", "400", "401", "408", "413", "415", "500", "503"]
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
