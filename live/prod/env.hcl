locals {
  env        = "prod"
  name       = "stockprice-prod"
  repository = "example/stockprice"
  branch     = "main"
  # Prod deploys releases: a pushed tag such as v1.4.0, after a person approves.
  release_tags    = ["v*"]
  manual_approval = true
  oncall          = [{ protocol = "email", endpoint = "oncall@example.com" }]

  # The inventory Ingress. certificate_arn: an ACM certificate in this
  # account and region, covering hostname; the deploy's render step fails
  # without it. hostname "" = any Host header (the ALB's own DNS name).
  ingress = {
    scheme          = "internet-facing"
    certificate_arn = ""
    hostname        = ""
  }
}
