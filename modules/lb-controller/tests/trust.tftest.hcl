# The IRSA trust of the controller role. Planned against the real aws provider with fake credentials: nothing here
# reaches AWS. Only the caller identity (an STS call) is overridden.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

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

run "trust_names_only_the_controller_service_account" {
  command = plan

  assert {
    condition     = length(jsondecode(aws_iam_role.this.assume_role_policy).Statement) == 1
    error_message = "The trust policy has exactly one statement."
  }

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity"
    error_message = "The role is assumed only with a web identity token."
  }

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal.Federated == var.oidc_provider_arn
    error_message = "The only principal is the cluster's OIDC provider."
  }

  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals == {
      "oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000:sub" = "system:serviceaccount:kube-system:aws-load-balancer-controller"
      "oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000:aud" = "sts.amazonaws.com"
    }
    error_message = "Trust: sub is exactly kube-system:aws-load-balancer-controller and aud is sts.amazonaws.com, nothing else."
  }

  assert {
    condition     = aws_iam_role.this.name == "stockprice-dev-lb-controller"
    error_message = "Role named after the environment."
  }
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
