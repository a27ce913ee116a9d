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
  # Monthly AWS Budgets amount in USD (docs/operations.md, "The whole bill").
  monthly_budget_usd = 700
  # Deletion protection: the stateful units generate prevent_destroy
  # override files (generate "prevent_destroy" in live/root.hcl), and
  # scripts/teardown.ts refuses prod.
  prevent_destroy = true
  # Access entries (replace with your roles): the platform team administers
  # the cluster, the on-call reads it (docs/operations.md, "Who can do what").
  admin_role_arns  = ["arn:aws:iam::222222222222:role/platform-admin"]
  oncall_role_arns = ["arn:aws:iam::222222222222:role/oncall-readonly"]
  # Pricing scales on the inventory queue's backlog: KEDA installed by the
  # controllers unit, its IAM in irsa, the ScaledObject rendered by the
  # pipeline (docs/deploy-aws.md, "Scaling pricing on the backlog").
  keda_enabled = true
  # Build once (dev), promote by digest (prod): modules/pipeline, promotion.tf.
  promote_from_digests = true

  # The inputs this environment gives a unit beyond live/_envcommon/<unit>.hcl,
  # by unit folder; root.hcl passes each unit its entry. With the values
  # above, this file holds everything that differs between environments.
  unit_inputs = {
    # Updates must always flow in prod: silence pages.
    alarms = {
      oldest_message_age_seconds = 300
      updates_arriving_enabled   = true
    }

    ecr = {
      # Dev's account (live/dev/account.hcl) replicates its images here,
      # every build; they expire a year after they arrive, whatever their
      # number, so a release is kept for a year (docs/deploy-aws.md, Recovery).
      replication_source_accounts = ["111111111111"]
      expire_after_days           = 365
    }

    edge = {
      waf_enabled = true
    }

    # Private endpoint only: people come in through the Session Manager host
    # (docs/deploy-aws.md, "Reaching the private API endpoint").
    eks = {
      endpoint_public_access = false
      admin_host             = true
      cluster_log_types      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
      spot_min_size          = 2
      spot_desired_size      = 2
      spot_max_size          = 10
      log_retention_days     = 90
    }

    # One NAT gateway per AZ: an AZ outage does not cut the others off.
    network = {
      nat_gateway_per_az = true
    }

    # Logs kept 90 days.
    observability = {
      log_retention_days = 90
    }

    # Messages kept 10 days, the queue module's longest: the DLQ's 14 days
    # count from an update's arrival, so a dead-lettered one stays 4 more.
    queue = {
      message_retention_seconds = 864000
    }
  }
}
