variable "name" {
  description = "Name prefix of the pipeline resources, e.g. \"stockprice-dev\"."
  type        = string
}

variable "repository" {
  description = "GitHub repository as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.repository))
    error_message = "repository must be owner/name."
  }
}

variable "branch" {
  description = "Branch the source action reads; its pushes deploy unless release_tags is set."
  type        = string
  default     = "main"
}

variable "release_tags" {
  description = "Git tag patterns that start the pipeline, e.g. [\"v*\"] (prod deploys releases); empty = every push to branch starts it (dev)."
  type        = list(string)
  default     = []
}

variable "manual_approval" {
  description = "Add a manual approval stage between build and deploy."
  type        = bool
  default     = false
}

variable "deploy_subnet_ids" {
  description = "Private subnets of the cluster's VPC where the EKS deploy action runs (network unit's private_subnet_ids); at least one."
  type        = list(string)

  validation {
    condition     = length(var.deploy_subnet_ids) > 0
    error_message = "deploy_subnet_ids must list at least one private subnet of the cluster's VPC."
  }
}

variable "deploy_security_group_id" {
  description = "Security group of the EKS deploy action (eks unit's deploy_security_group_id), admitted by the cluster on 443."
  type        = string
}

variable "pricing_policy_path" {
  description = "Pricing policy rendered into the pricing ConfigMap, relative to the repository root; null = live/<deploy_env>/policy.yaml."
  type        = string
  default     = null
}

variable "deploy_env" {
  description = "Environment the pipeline deploys: dev or prod (passed to the render step)."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.deploy_env)
    error_message = "deploy_env must be dev or prod."
  }
}

variable "cluster_name" {
  description = "EKS cluster the deploy action applies the manifests to."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of that cluster (for eks:DescribeCluster)."
  type        = string
}

variable "namespace" {
  description = "Namespace the manifests are applied to."
  type        = string
  default     = "stockprice"
}

variable "ecr_repository_urls" {
  description = "ECR repository URL by service (ecr module output repository_urls): inventory and pricing."
  type        = map(string)
}

variable "ecr_repository_arns" {
  description = "ECR repository ARN by service (ecr module output repository_arns)."
  type        = map(string)
}

variable "inventory_role_arn" {
  description = "IRSA role ARN for the inventory ServiceAccount (rendered into the manifests)."
  type        = string
}

variable "pricing_role_arn" {
  description = "IRSA role ARN for the pricing ServiceAccount (rendered into the manifests)."
  type        = string
}

variable "inventory_queue_url" {
  description = "URL of inventory-update-queue (rendered into the manifests)."
  type        = string
}

variable "price_queue_url" {
  description = "URL of price-change-queue (rendered into the manifests)."
  type        = string
}

variable "pricing_capacity" {
  description = "spot | fargate, as in the eks module: selects the pricing manifest variant."
  type        = string
  default     = "spot"

  validation {
    condition     = contains(["spot", "fargate"], var.pricing_capacity)
    error_message = "pricing_capacity must be spot or fargate."
  }
}

variable "ingress" {
  description = "The inventory Ingress, passed to the render step as INGRESS_* variables: scheme (internet-facing | internal), certificate_arn (ACM; the render fails without it), waf_acl_arn and hostname (optional, \"\" = none)."
  type = object({
    scheme          = optional(string, "internet-facing")
    certificate_arn = optional(string, "")
    waf_acl_arn     = optional(string, "")
    hostname        = optional(string, "")
  })
  default = {}

  validation {
    condition     = contains(["internet-facing", "internal"], var.ingress.scheme)
    error_message = "ingress.scheme must be internet-facing or internal."
  }
}

variable "codebuild_image" {
  description = "CodeBuild image; must offer the nodejs 24 runtime."
  type        = string
  default     = "aws/codebuild/standard:7.0"
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Days the CodeBuild and deploy log groups keep events; one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "promote_from_digests" {
  description = "true: deploy the images another environment built (prod), found by digest through ECR replication; the build project runs buildspec-promote.yml, unprivileged, without ECR push. false: build, test and push (dev, buildspec.yml)."
  type        = bool
  default     = false
}

variable "deployer_group" {
  description = "Kubernetes group of the pipeline's access entry; manifests/bootstrap/deployer-rbac.yaml binds it to the custom resources (External Secrets, KEDA) in the namespace."
  type        = string
  default     = "stockprice-deployers"
}

variable "keda_enabled" {
  description = "Render pricing's KEDA ScaledObject (PRICING_SCALING = keda) and leave its replica count to it; false renders a fixed count. Must match the irsa and controllers units' keda_enabled."
  type        = bool
  default     = false
}
