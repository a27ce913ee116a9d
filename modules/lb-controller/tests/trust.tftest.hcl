# The IRSA trust of the controller role. Run by npm test (test/infra/plan.test.ts),
# which adds the offline provider settings (real provider, fake credentials): nothing here
# reaches AWS. Only the caller identity (an STS call) is overridden. The
# trust as the units plan it (exactly kube-system:aws-load-balancer-controller,
# audience STS) is checked on their plans: test/infra/plan-checks/lb-controller.ts.

override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
    arn        = "arn:aws:iam::123456789012:user/test"
    user_id    = "AIDAEXAMPLE"
  }
}

variables {
  name_prefix        = "stockprice-dev"
  oidc_provider_arn  = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000"
  oidc_issuer_url    = "https://oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000"
  vpc_id             = "vpc-0123456789abcdef0"
  cluster_name       = "stockprice-dev"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
}

run "another_service_account_is_a_different_subject" {
  command = plan

  variables {
    service_account = "other"
  }

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000:sub"] == "system:serviceaccount:kube-system:other"
    error_message = "The subject follows the service_account variable."
  }
}
