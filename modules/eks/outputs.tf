output "cluster_name" {
  description = "Name of the EKS cluster (the EKS deploy action's ClusterName)."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_ca_data" {
  description = "Base64 certificate authority data of the cluster's API endpoint (what a kubeconfig or the helm provider trusts)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider, for IRSA trust policies."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer_url" {
  description = "The cluster's OIDC issuer URL."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "cluster_security_group_id" {
  description = "Security group EKS created for the cluster."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "admin_host_instance_id" {
  description = "Instance ID of the Session Manager host (aws ssm start-session --target ...); null without admin_host."
  value       = one(aws_instance.admin_host[*].id)
}

output "deploy_security_group_id" {
  description = "Security group for the pipeline's EKS deploy action (SecurityGroupIds), admitted by the cluster on 443."
  value       = aws_security_group.deploy.id
}

output "control_plane_log_group_name" {
  description = "Name of the control-plane log group (/aws/eks/<cluster>/cluster)."
  value       = aws_cloudwatch_log_group.cluster.name
}

output "fargate_role_arn" {
  description = "ARN of the Fargate pod execution role (it ships the Fargate pods' logs)."
  value       = aws_iam_role.this["fargate"].arn
}
