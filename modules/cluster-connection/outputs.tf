output "host" {
  description = "Where the provider connects: api_tunnel when set, else cluster_endpoint."
  value       = local.api_host
}

output "tls_server_name" {
  description = "Name the API server's certificate is checked against when connecting through api_tunnel (the endpoint's host); null when connecting directly."
  value       = local.tls_server_name
}

output "cluster_ca_certificate" {
  description = "PEM certificate authority of the endpoint (cluster_ca_data decoded)."
  value       = base64decode(var.cluster_ca_data)
}
