locals {
  env        = "dev"
  name       = "stockprice-dev"
  repository = "example/stockprice"
  branch     = "main"
  # Every push to main deploys dev.
  release_tags    = []
  manual_approval = false
  oncall          = [{ protocol = "email", endpoint = "oncall-dev@example.com" }]
}
