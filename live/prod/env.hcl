locals {
  env        = "prod"
  name       = "stockprice-prod"
  repository = "example/stockprice"
  branch     = "main"
  # Prod deploys releases: a pushed tag such as v1.4.0, after a person approves.
  release_tags    = ["v*"]
  manual_approval = true
  oncall          = [{ protocol = "email", endpoint = "oncall@example.com" }]
  # Notices (image scan findings, the budget): read in working hours, never
  # paged (docs/deploy-aws.md, "Which topic pages").
  notices = [{ protocol = "email", endpoint = "team@example.com" }]

  # The inventory Ingress. certificate_arn: an ACM certificate in this
  # account and region, covering hostname; the deploy's render step fails
  # without it. hostname "" = any Host header (the ALB's own DNS name).
  ingress = {
    scheme          = "internet-facing"
    certificate_arn = ""
    hostname        = ""
  }
  # Monthly AWS Budgets amount in USD (README, "The whole bill").
  monthly_budget_usd = 700
  # Deletion protection: the stateful units generate prevent_destroy
  # override files (generate "prevent_destroy" in live/_envcommon), and
  # scripts/teardown.ts refuses prod.
  prevent_destroy = true
  # Access entries (replace with your roles): the platform team administers
  # the cluster, the on-call reads it (README, "Who can do what").
  admin_role_arns  = ["arn:aws:iam::222222222222:role/platform-admin"]
  oncall_role_arns = ["arn:aws:iam::222222222222:role/oncall-readonly"]
  # Pricing scales on the inventory queue's backlog: KEDA installed by the
  # controllers unit, its IAM in irsa, the ScaledObject rendered by the
  # pipeline (docs/deploy-aws.md, "Scaling pricing on the backlog").
  keda_enabled = true
  # Build once (dev), promote by digest (prod): modules/pipeline, promotion.tf.
  promote_from_digests = true
}
