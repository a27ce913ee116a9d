# Who may do what in the cluster (README, "Who can do what"):
# - cluster_admin_arns (admin-host.tf): AmazonEKSClusterAdminPolicy, cluster
#   wide. The platform team; they apply the bootstrap (the Namespace).
# - oncall_view_arns: AmazonEKSViewPolicy, cluster wide. Read-only: pods,
#   events, logs of Deployments, no Secrets (the view policy excludes them),
#   no writes. A role also in cluster_admin_arns gets the admin entry only
#   (main.tf, oncall_only_arns): one principal, one entry.
# - the pipeline role (modules/pipeline, iam.tf): AmazonEKSEditPolicy in the
#   stockprice namespace only.

resource "aws_eks_access_entry" "oncall" {
  for_each = local.oncall_only_arns

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
  tags          = var.tags
}

resource "aws_eks_access_policy_association" "oncall" {
  for_each = local.oncall_only_arns

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.oncall]
}
