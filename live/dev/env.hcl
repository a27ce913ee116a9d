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
  # Monthly AWS Budgets amount in USD (docs/operations.md, "The whole bill").
  monthly_budget_usd = 400
  # Deletion protection off: dev can be torn down (scripts/teardown.ts).
  prevent_destroy = false
  # Access entries (replace with your roles): the platform team administers
  # the cluster, the on-call reads it (docs/operations.md, "Who can do what").
  admin_role_arns  = ["arn:aws:iam::111111111111:role/platform-admin"]
  oncall_role_arns = ["arn:aws:iam::111111111111:role/oncall-readonly"]
  # Pricing scales on the inventory queue's backlog: KEDA installed by the
  # controllers unit, its IAM in irsa, the ScaledObject rendered by the
  # pipeline (docs/deploy-aws.md, "Scaling pricing on the backlog").
  keda_enabled = true
  # Build once (dev), promote by digest (prod): modules/pipeline, promotion.tf.
  promote_from_digests = false

  # The inputs this environment gives a unit beyond live/_envcommon/<unit>.hcl,
  # by unit folder; root.hcl passes each unit its entry. With the values
  # above, this file holds everything that differs between environments.
  unit_inputs = {
    # Build once, promote by digest: dev's images are replicated to prod's
    # registry (prod's account, live/prod/account.hcl), digests unchanged.
    ecr = {
      replicate_to_accounts = [{ account_id = "222222222222", region = "eu-west-1" }]
      # A copy of every image in a recovery region (docs/deploy-aws.md,
      # "Recovery"); [] for none. Replication is not transitive, so the copy is
      # made by the registry that receives the pushes: dev's.
      replicate_to_regions = ["eu-central-1"]
    }

    # The public API endpoint answers only these CIDRs: replace the
    # documentation range with your office or VPN egress addresses.
    eks = {
      public_access_cidrs = ["203.0.113.0/24"]
    }

    # Dev's tokens go at once with a teardown, so dev can be applied again
    # straight away (a secret waiting out a recovery window keeps its name);
    # put a token again after that apply. Prod's can be restored for 30 days.
    tokens = {
      recovery_window_in_days = 0
    }
  }
}
