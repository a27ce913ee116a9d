# The helm provider talks to the cluster as the caller (an admin's access
# entry), with a token from `aws eks get-token`; where it connects:
# connection.tf.

provider "helm" {
  kubernetes {
    host                   = local.api_host
    tls_server_name        = local.tls_server_name
    cluster_ca_certificate = base64decode(var.cluster_ca_data)
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", var.cluster_name, "--region", var.region]
    }
  }
}
