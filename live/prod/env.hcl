locals {
  env        = "prod"
  name       = "stockprice-prod"
  repository = "example/stockprice"
  branch     = "main"
  # Prod deploys releases: a pushed tag such as v1.4.0, after a person approves.
  release_tags    = ["v*"]
  manual_approval = true
  oncall          = [{ protocol = "email", endpoint = "oncall@example.com" }]
  # Monthly AWS Budgets amount in USD (README, "The whole bill").
  monthly_budget_usd = 1300
  # Deletion protection: the stateful units generate prevent_destroy
  # override files (generate "prevent_destroy" in live/_envcommon), and
  # scripts/teardown.ts refuses prod.
  prevent_destroy = true
}
