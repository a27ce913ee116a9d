variable "cluster_name" {
  description = "Name of the EKS cluster, e.g. \"stockprice-dev\"."
  type        = string
}

variable "cluster_version" {
  description = "Kubernetes version of the control plane, e.g. \"1.33\"."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.cluster_version))
    error_message = "cluster_version must look like 1.33."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets for the control plane ENIs, Fargate pods and nodes (at least 2 AZs)."
  type        = list(string)
}

variable "endpoint_public_access" {
  description = "Expose the Kubernetes API endpoint publicly (restricted by public_access_cidrs); false = private endpoint only."
  type        = bool
  default     = true
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "cluster_log_types" {
  description = "Control-plane logs sent to CloudWatch (any of api, audit, authenticator, controllerManager, scheduler)."
  type        = list(string)
  default     = ["api", "audit", "authenticator"]
}

variable "namespace" {
  description = "Namespace of the services; the Fargate profiles select it."
  type        = string
  default     = "stockprice"
}

variable "pricing_capacity" {
  description = "Where pricing runs: \"spot\" = an EC2 Spot managed node group tainted for pricing (EKS has no Fargate Spot); \"fargate\" = a Fargate profile."
  type        = string
  default     = "spot"

  validation {
    condition     = contains(["spot", "fargate"], var.pricing_capacity)
    error_message = "pricing_capacity must be \"spot\" or \"fargate\"."
  }
}

variable "spot_instance_types" {
  description = "Instance types for the pricing Spot node group; several, so a Spot shortage of one type does not stop pricing."
  type        = list(string)
  default     = ["t3.medium", "t3a.medium", "t3.large", "t3a.large", "m5.large", "m5a.large"]
}

variable "spot_min_size" {
  description = "Minimum nodes in the pricing Spot node group."
  type        = number
  default     = 1
}

variable "spot_desired_size" {
  description = "Desired nodes in the pricing Spot node group at creation (later changes are left to autoscaling)."
  type        = number
  default     = 1
}

variable "spot_max_size" {
  description = "Maximum nodes in the pricing Spot node group."
  type        = number
  default     = 4
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Days the control-plane log group /aws/eks/<cluster>/cluster keeps events; one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "Customer managed KMS key ARN for the control-plane log group; null = CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "telemetry_namespace" {
  description = "Namespace of the metrics collector; the telemetry Fargate profile selects its pods (label app.kubernetes.io/name=metrics-collector) there."
  type        = string
  default     = "stockprice-telemetry"
}
