locals {
  env        = "prod"
  name       = "stockprice-prod"
  repository = "example/stockprice"
  branch     = "main"
  oncall     = [{ protocol = "email", endpoint = "oncall@example.com" }]
}
