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
  description = "Images kept per repository by the lifecycle policy (1-1000); older ones expire."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_images >= 1 && var.keep_images <= 1000
    error_message = "keep_images must be between 1 and 1000."
  }
}

variable "tags" {
  description = "Tags for every repository."
  type        = map(string)
  default     = {}
}
