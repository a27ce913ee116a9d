locals {
  env        = "prod"
  name       = "stockprice-prod"
  repository = "example/stockprice"
  branch     = "main"
  # Prod deploys releases: a pushed tag such as v1.4.0, after a person approves.
  release_tags    = ["v*"]
  manual_approval = true
  oncall          = [{ protocol = "email", endpoint = "oncall@example.com" }]
}
