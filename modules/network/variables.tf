variable "name" {
  description = "Name prefix and EKS cluster name used in subnet tags, e.g. \"stockprice-dev\"."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC, a network address with a prefix from /16 to /24 (private subnets get a quarter each, public ones a sixteenth)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && try(tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 24 && cidrhost(var.cidr_block, 0) == split("/", var.cidr_block)[0], false)
    error_message = "cidr_block must be an IPv4 network address with a prefix from /16 to /24, such as 10.40.0.0/16."
  }
}

variable "azs" {
  description = "Availability zones, 2 or 3 (one private and one public subnet each)."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 3
    error_message = "azs must list 2 or 3 availability zones."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per AZ (resilient, costs more) instead of a single shared one."
  type        = bool
  default     = false
}

variable "interface_endpoints" {
  description = "Interface VPC endpoints to create (any of sqs, sts, ecr.api, ecr.dkr, logs); traffic to them skips the NAT gateway."
  type        = list(string)
  default     = ["sqs", "sts", "ecr.api", "ecr.dkr", "logs"]

  validation {
    condition     = alltrue([for e in var.interface_endpoints : contains(["sqs", "sts", "ecr.api", "ecr.dkr", "logs"], e)])
    error_message = "interface_endpoints may contain only sqs, sts, ecr.api, ecr.dkr and logs."
  }
}

variable "s3_gateway_endpoint" {
  description = "Create the S3 gateway endpoint (ECR image layers come from S3)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
