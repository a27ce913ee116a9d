variable "bucket" {
  description = "Name of the Terraform state bucket (live/root.hcl: stockprice-tfstate-<account>-<region>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket))
    error_message = "bucket must be an S3 bucket name (3-63 of a-z 0-9 . -)."
  }
}

variable "tags" {
  description = "Accepted because live/root.hcl passes tags to every unit; a bucket policy and versioning carry no tags."
  type        = map(string)
  default     = {}
}
