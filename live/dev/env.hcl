locals {
  env        = "dev"
  name       = "stockprice-dev"
  repository = "example/stockprice"
  branch     = "main"
  oncall     = [{ protocol = "email", endpoint = "oncall-dev@example.com" }]
}
