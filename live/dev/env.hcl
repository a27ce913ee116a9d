locals {
  env        = "dev"
  name       = "stockprice-dev"
  repository = "example/stockprice"
  branch     = "main"
  # Every push to main deploys dev.
  release_tags    = []
  manual_approval = false
  oncall          = [{ protocol = "email", endpoint = "oncall-dev@example.com" }]
  # Monthly AWS Budgets amount in USD (README, "The whole bill").
  monthly_budget_usd = 450
  # Deletion protection off: dev can be torn down (scripts/teardown.ts).
  prevent_destroy = false
}
