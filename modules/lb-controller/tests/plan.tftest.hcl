# Run by npm test (test/infra/plan.test.ts), which adds the offline provider
# settings (the real aws provider, fake credentials): nothing here
# reaches AWS. Only the caller identity (an STS call) is overridden.

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
  vpc_id             = "vpc-0123456789abcdef0"
  cluster_name       = "stockprice-dev"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
}

# One plan of the default variables for every promise they share (each plan costs seconds).
run "policy_and_fargate_profile" {
  command = plan

  assert {
    condition     = alltrue([for s in concat(jsondecode(aws_iam_policy.this.policy).Statement, jsondecode(aws_iam_policy.network.policy).Statement) : alltrue([for a in flatten([s.Action]) : a != "*" && !endswith(a, ":*")])])
    error_message = "No statement grants a * action."
  }

  assert {
    condition = alltrue([for a in ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyTargetGroupAttributes", "wafv2:AssociateWebACL", "ec2:CreateSecurityGroup"] :
    contains(flatten([for s in concat(jsondecode(aws_iam_policy.this.policy).Statement, jsondecode(aws_iam_policy.network.policy).Statement) : flatten([s.Action])]), a)])
    error_message = "The actions an Ingress with IP targets, HTTPS and a web ACL needs are granted."
  }

  assert {
    condition     = !anytrue([for s in concat(jsondecode(aws_iam_policy.this.policy).Statement, jsondecode(aws_iam_policy.network.policy).Statement) : anytrue([for a in flatten([s.Action]) : startswith(a, "shield:") || startswith(a, "waf-regional:") || startswith(a, "cognito-idp:")])])
    error_message = "Shield, WAF Classic and Cognito are off in the release, so not granted."
  }

  assert {
    condition = one([for s in concat(jsondecode(aws_iam_policy.this.policy).Statement, jsondecode(aws_iam_policy.network.policy).Statement) : s if s.Sid == "CreateTaggedLoadBalancer"]).Condition == {
      Null = { "aws:RequestTag/elbv2.k8s.aws/cluster" = "false" }
    }
    error_message = "Load balancers and target groups can only be created carrying the controller's cluster tag."
  }

  assert {
    condition     = one([for s in concat(jsondecode(aws_iam_policy.this.policy).Statement, jsondecode(aws_iam_policy.network.policy).Statement) : s if s.Sid == "RegisterPodIps"]).Resource == "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/*/*"
    error_message = "Targets are registered only in this account's and region's target groups."
  }

  assert {
    condition     = one([for s in concat(jsondecode(aws_iam_policy.this.policy).Statement, jsondecode(aws_iam_policy.network.policy).Statement) : s if s.Sid == "IngressInClusterVpc"]).Condition.ArnEquals["ec2:Vpc"] == "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0123456789abcdef0"
    error_message = "Ingress rules on groups the controller does not own only inside the cluster's VPC."
  }

  assert {
    condition     = length(aws_eks_fargate_profile.this.selector) == 1 && one(aws_eks_fargate_profile.this.selector).namespace == "kube-system" && one(aws_eks_fargate_profile.this.selector).labels == tomap({ "app.kubernetes.io/name" = "aws-load-balancer-controller" })
    error_message = "The profile selects the chart's pods in kube-system and nothing else."
  }

  assert {
    condition     = jsondecode(aws_iam_role.fargate.assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:eks:eu-west-1:123456789012:fargateprofile/stockprice-dev/*"
    error_message = "Only this cluster's Fargate profiles may use the pod execution role."
  }
}

run "rejects_a_vpc_that_is_not_an_id" {
  command = plan

  variables {
    vpc_id = "my-vpc"
  }

  expect_failures = [var.vpc_id]
}

# The trust with the default variables is checked on the unit plans
# (test/infra/plan-checks/lb-controller.ts); here, that it follows the variable.
run "another_service_account_is_a_different_subject" {
  command = plan

  variables {
    service_account = "other"
  }

  assert {
    condition     = jsondecode(module.role.trust_policy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000:sub"] == "system:serviceaccount:kube-system:other"
    error_message = "The subject follows the service_account variable."
  }
}
