output "release_name" {
  description = "Name of the Helm release."
  value       = helm_release.this.name
}

output "chart_version" {
  description = "Chart version installed."
  value       = helm_release.this.version
}

output "ingress_class" {
  description = "IngressClass the chart creates; manifests/inventory/ingress.yaml names it in spec.ingressClassName."
  value       = "alb"
}
