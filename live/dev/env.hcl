locals {
  env        = "dev"
  name       = "stockprice-dev"
  repository = "example/stockprice"
  branch     = "main"
  # Every push to main deploys dev.
  release_tags    = []
  manual_approval = false
  oncall          = [{ protocol = "email", endpoint = "oncall-dev@example.com" }]

  # The inventory Ingress. certificate_arn: an ACM certificate in this
  # account and region, covering hostname; the deploy's render step fails
  # without it. hostname "" = any Host header (the ALB's own DNS name).
  ingress = {
    scheme          = "internet-facing"
    certificate_arn = ""
    hostname        = ""
  }
}
