variable "cluster_name" {
  description = "Name of the EKS cluster, e.g. \"stockprice-dev\"."
  type        = string
}

variable "cluster_version" {
  description = "Kubernetes version of the control plane, nodes and add-ons, e.g. \"1.35\" (in EKS standard support until 2027-03-27). Upgrade one minor version at a time: docs/deploy-aws.md, upgrade runbook."
  type        = string
  default     = "1.35"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.cluster_version))
    error_message = "cluster_version must look like 1.35."
  }
}

variable "support_type" {
  description = "EKS upgrade policy: STANDARD (upgraded by EKS at the end of standard support) or EXTENDED (kept, at six times the control-plane price)."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type must be STANDARD or EXTENDED."
  }
}

variable "addon_versions" {
  description = "Pinned add-on versions by name (vpc-cni, kube-proxy, coredns, metrics-server); an add-on not listed gets the default version for cluster_version."
  type        = map(string)
  default     = {}
}

variable "node_release_version" {
  description = "AMI release of the pricing Spot nodes, e.g. \"1.35.0-20261120\"; null takes the recommended AL2023 release for cluster_version at plan time."
  type        = string
  default     = null
}

variable "private_subnet_ids" {
  description = "Private subnets for the control plane ENIs, Fargate pods and nodes (at least 2 AZs)."
  type        = list(string)
}

variable "endpoint_public_access" {
  description = "Expose the Kubernetes API endpoint publicly (restricted by public_access_cidrs); false = private endpoint only (then use admin_host)."
  type        = bool
  default     = true
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint; required while endpoint_public_access is true. 0.0.0.0/0 is refused unless allow_api_from_anywhere is true."
  type        = list(string)
  default     = null
}

variable "allow_api_from_anywhere" {
  description = "Set true to really open the public API endpoint to 0.0.0.0/0 (refused otherwise)."
  type        = bool
  default     = false
}

variable "vpc_id" {
  description = "VPC of the cluster (network unit's vpc_id): the deploy action's and the Session Manager host's security groups live there."
  type        = string
}

variable "admin_host" {
  description = "Create an SSM Session Manager host in a private subnet, allowed to reach the API endpoint on 443: how people reach a private endpoint."
  type        = bool
  default     = false
}

variable "cluster_admin_arns" {
  description = "IAM role or user ARNs given cluster-admin access entries (people who operate the cluster)."
  type        = list(string)
  default     = []
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

variable "oncall_view_arns" {
  description = "IAM role ARNs of the on-call, given read-only access entries (AmazonEKSViewPolicy, cluster wide: no Secrets, no writes)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.oncall_view_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "oncall_view_arns must be IAM role ARNs (arn:aws:iam::ACCOUNT:role/NAME)."
  }
}

variable "external_secrets_namespace" {
  description = "Namespace of External Secrets Operator; a Fargate profile takes all its pods."
  type        = string
  default     = "external-secrets"
}

variable "keda_namespace" {
  description = "Namespace of KEDA (modules/controllers-release); its pods run on a Fargate profile for it."
  type        = string
  default     = "keda"
}
