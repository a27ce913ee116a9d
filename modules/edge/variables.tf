variable "name_prefix" {
  description = "Prefix of the web ACL and metric names, e.g. \"stockprice-dev\"."
  type        = string
}

variable "waf_enabled" {
  description = "Create a WAFv2 web ACL (REGIONAL) with a rate-based rule per client IP. Its ARN goes to the render step (--waf-acl-arn), and the controller attaches it to the ALB."
  type        = bool
  default     = false
}

variable "rate_limit" {
  description = "Requests one client IP may send in rate_window_seconds before WAF answers 429 (10 to 2,000,000,000). Inventory has no rate limit of its own."
  type        = number
  default     = 3000

  validation {
    condition     = var.rate_limit >= 10 && var.rate_limit <= 2000000000
    error_message = "rate_limit must be between 10 and 2000000000."
  }
}

variable "rate_window_seconds" {
  description = "Window WAF counts rate_limit over: 60, 120, 300 or 600 seconds."
  type        = number
  default     = 300

  validation {
    condition     = contains([60, 120, 300, 600], var.rate_window_seconds)
    error_message = "rate_window_seconds must be one of 60, 120, 300, 600."
  }
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone for the API's name; null (the default) creates no record. The ALB must exist (after the first deploy) when this is set."
  type        = string
  default     = null

  validation {
    condition     = var.hosted_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route 53 hosted zone ID (Z followed by letters and digits) or null."
  }
}

variable "hostname" {
  description = "Fully qualified name shops use, e.g. inventory.example.com; inside the hosted zone and covered by the ACM certificate. Required with hosted_zone_id."
  type        = string
  default     = null

  validation {
    condition     = var.hostname == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.hostname))
    error_message = "hostname must be a lower-case DNS name such as inventory.example.com, or null."
  }
}

variable "load_balancer_name" {
  description = "Name of the ALB the controller creates for the inventory Ingress (its alb.ingress.kubernetes.io/load-balancer-name, \"<name_prefix>-inventory\"); looked up only for the DNS record."
  type        = string

  validation {
    condition     = length(var.load_balancer_name) <= 32
    error_message = "load_balancer_name must be at most 32 characters (an ELB limit)."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
