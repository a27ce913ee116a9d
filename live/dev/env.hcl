locals {
  env        = "dev"
  name       = "stockprice-dev"
  repository = "example/stockprice"
  branch     = "main"
  # Every push to main deploys dev.
  release_tags    = []
  manual_approval = false
  oncall          = [{ protocol = "email", endpoint = "oncall-dev@example.com" }]
  # Notices (image scan findings, the budget): read in working hours, never
  # paged (docs/deploy-aws.md, "Which topic pages").
  notices = [{ protocol = "email", endpoint = "team-dev@example.com" }]

  # The inventory Ingress. certificate_arn: an ACM certificate in this
  # account and region, covering hostname; the deploy's render step fails
  # without it. hostname "" = any Host header (the ALB's own DNS name).
  ingress = {
    scheme          = "internet-facing"
    certificate_arn = ""
    hostname        = ""
  }
  # Monthly AWS Budgets amount in USD (README, "The whole bill").
  monthly_budget_usd = 400
  # Deletion protection off: dev can be torn down (scripts/teardown.ts).
  prevent_destroy = false
  # Access entries (replace with your roles): the platform team administers
  # the cluster, the on-call reads it (README, "Who can do what").
  admin_role_arns  = ["arn:aws:iam::111111111111:role/platform-admin"]
  oncall_role_arns = ["arn:aws:iam::111111111111:role/oncall-readonly"]
  # Pricing scales on the inventory queue's backlog: KEDA installed by the
  # controllers unit, its IAM in irsa, the ScaledObject rendered by the
  # pipeline (docs/deploy-aws.md, "Scaling pricing on the backlog").
  keda_enabled = true
  # Build once (dev), promote by digest (prod): modules/pipeline, promotion.tf.
  promote_from_digests = false
}
