# The helm provider talks to the cluster as the caller (an admin's access
# entry), with a token from `aws eks get-token`.

# Where the provider connects: the eks unit's endpoint and CA, or
# api_tunnel for prod's private endpoint (modules/cluster-connection).
module "connection" {
  source = "../cluster-connection"

  cluster_endpoint = var.cluster_endpoint
  cluster_ca_data  = var.cluster_ca_data
  api_tunnel       = var.api_tunnel
}

provider "helm" {
  kubernetes {
    host                   = module.connection.host
    tls_server_name        = module.connection.tls_server_name
    cluster_ca_certificate = module.connection.cluster_ca_certificate
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", var.cluster_name, "--region", var.region]
    }
  }
}
