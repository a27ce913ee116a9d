# The trust conditions name the issuer read from the provider's ARN, and a
# value that is not an OIDC provider ARN is refused at plan. Run by npm test
# (test/infra/plan.test.ts).

variables {
  name              = "stockprice-test-pricing"
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789"
  namespace         = "stockprice"
  service_account   = "pricing"
}

run "issuer_from_the_arn" {
  command = plan

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:sub"] == "system:serviceaccount:stockprice:pricing"
    error_message = "The sub condition is keyed by the issuer the ARN names and trusts exactly stockprice:pricing."
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:aud"] == "sts.amazonaws.com"
    error_message = "The aud condition is keyed by the same issuer, audience STS."
  }
}

run "not_an_oidc_provider_arn" {
  command = plan

  variables {
    oidc_provider_arn = "arn:aws:iam::123456789012:role/stockprice-test"
  }

  expect_failures = [var.oidc_provider_arn]
}
