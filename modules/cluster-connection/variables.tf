variable "cluster_endpoint" {
  description = "API endpoint of the cluster (eks unit output cluster_endpoint), https://..."
  type        = string

  validation {
    condition     = startswith(var.cluster_endpoint, "https://")
    error_message = "cluster_endpoint must be the cluster's https:// API endpoint (eks output cluster_endpoint)."
  }
}

variable "cluster_ca_data" {
  description = "Base64 certificate authority data of the endpoint (eks unit output cluster_ca_data)."
  type        = string

  validation {
    condition     = can(base64decode(var.cluster_ca_data))
    error_message = "cluster_ca_data must be base64 (eks output cluster_ca_data)."
  }
}

variable "api_tunnel" {
  description = "Local end of a port forward to a private endpoint, e.g. \"https://127.0.0.1:8443\" (export TF_VAR_api_tunnel=...; Terragrunt keeps a TF_VAR_ set in the environment). null connects to cluster_endpoint directly."
  type        = string
  default     = null

  validation {
    condition     = var.api_tunnel == null || can(regex("^https://(127\\.0\\.0\\.1|localhost):[0-9]+$", var.api_tunnel))
    error_message = "api_tunnel must be null or https://127.0.0.1:PORT (the local end of the Session Manager port forward)."
  }
}
