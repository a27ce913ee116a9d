output "external_secrets_version" {
  description = "Installed external-secrets chart version."
  value       = helm_release.external_secrets.version
}

output "cluster_autoscaler_version" {
  description = "Installed cluster-autoscaler chart version."
  value       = helm_release.cluster_autoscaler.version
}

output "keda_version" {
  description = "Installed keda chart version; null when keda_enabled is false."
  value       = one(helm_release.keda[*].version)
}
