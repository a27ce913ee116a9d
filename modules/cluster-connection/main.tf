# Where a provider that talks to the Kubernetes API (helm) reaches the
# cluster. The endpoint and CA come from the eks unit's outputs, so no data
# source looks the cluster up by name (a `run --all plan` on an empty
# account plans with the mock outputs instead of failing on a cluster that
# does not exist yet). Prod's endpoint is private: with api_tunnel set (the
# local end of a Session Manager port forward through the admin host,
# docs/deploy-aws.md "Prod's Helm units"), the provider connects there and
# still verifies the certificate against the endpoint's own name.

locals {
  endpoint_host   = trimsuffix(trimprefix(var.cluster_endpoint, "https://"), "/")
  api_host        = var.api_tunnel == null ? var.cluster_endpoint : var.api_tunnel
  tls_server_name = var.api_tunnel == null ? null : local.endpoint_host
}
