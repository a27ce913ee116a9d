# IAM for the AWS Load Balancer Controller: one IRSA role, trusted only by
# system:serviceaccount:<namespace>:<service_account> with audience
# sts.amazonaws.com, and one policy written from the actions the controller's
# reference policy documents (docs/install/iam_policy.json, v3.5.0).
#
# Differences from the reference, each on purpose:
# - ARNs name this partition, region and account instead of "*:*".
# - Security group ingress changes on untagged groups are limited to the
#   cluster's VPC (the condition the controller's install guide recommends).
# - No Cognito, WAF Classic (waf-regional) or Shield actions: the release
#   turns those features off (enableWaf/enableShield = false) and the Ingress
#   uses neither Cognito auth nor Shield. WAFv2 stays for the optional web ACL.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # arn:PARTITION:SERVICE:REGION:ACCOUNT
  arn    = "arn:${data.aws_partition.current.partition}"
  where  = "${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
  elb    = "${local.arn}:elasticloadbalancing:${local.where}"
  sg_arn = "${local.arn}:ec2:${local.where}:security-group/*"
  vpc    = "${local.arn}:ec2:${local.where}:vpc/${var.vpc_id}"

  # The tag the controller puts on everything it creates.
  cluster_tag = "elbv2.k8s.aws/cluster"
  owned_lbs   = ["${local.elb}:targetgroup/*/*", "${local.elb}:loadbalancer/app/*/*", "${local.elb}:loadbalancer/net/*/*"]
}

module "role" {
  source = "../irsa-role"

  name              = "${var.name_prefix}-lb-controller"
  oidc_provider_arn = var.oidc_provider_arn
  namespace         = var.namespace
  service_account   = var.service_account
  policy_arns       = { this = aws_iam_policy.this.arn, network = aws_iam_policy.network.arn }
  tags              = var.tags
}

# The grants are split in two managed policies, each well under the 6,144
# characters AWS allows one (whitespace removed; one policy of all of them
# measured 5,803, 94 %): "network" for discovery, the service-linked role
# and security groups, "this" for the load balancers, listeners and target
# groups. test/infra/plan-checks/iam-sizes.ts keeps every policy under 90 %.
# Each statement: sid, actions, resources and the conditions it needs, in
# the order the policy lists them.
locals {
  # What a call may do with the controller's cluster tag.
  tag_condition = {
    # The call puts the tag on what it creates.
    created_tagged = { test = "Null", variable = "aws:RequestTag/${local.cluster_tag}", values = ["false"] }
    # The call leaves the tag as it is.
    tag_kept = { test = "Null", variable = "aws:RequestTag/${local.cluster_tag}", values = ["true"] }
    # The resource carries the tag: the controller created it.
    owned = { test = "Null", variable = "aws:ResourceTag/${local.cluster_tag}", values = ["false"] }
  }

  policies = {
    network = [
      {
        sid        = "ElbServiceLinkedRole"
        actions    = ["iam:CreateServiceLinkedRole"]
        resources  = ["*"]
        conditions = [{ test = "StringEquals", variable = "iam:AWSServiceName", values = ["elasticloadbalancing.amazonaws.com"] }]
      },
      {
        sid = "Discover"
        actions = [
          "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
          "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage",
          "ec2:DescribeCoipPools", "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools",
          "ec2:DescribeRouteTables",
          "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeCapacityReservation",
          "acm:ListCertificates", "acm:DescribeCertificate",
          "iam:ListServerCertificates", "iam:GetServerCertificate",
          "wafv2:GetWebACL", "wafv2:GetWebACLForResource",
        ]
        resources = ["*"]
      },
      {
        sid        = "IngressInClusterVpc"
        actions    = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
        resources  = [local.sg_arn]
        conditions = [{ test = "ArnEquals", variable = "ec2:Vpc", values = [local.vpc] }]
      },
      {
        sid       = "CreateSecurityGroup"
        actions   = ["ec2:CreateSecurityGroup"]
        resources = ["*"]
      },
      {
        sid       = "TagNewSecurityGroup"
        actions   = ["ec2:CreateTags"]
        resources = [local.sg_arn]
        conditions = [
          { test = "StringEquals", variable = "ec2:CreateAction", values = ["CreateSecurityGroup"] },
          local.tag_condition.created_tagged,
        ]
      },
      {
        sid        = "RetagOwnedSecurityGroup"
        actions    = ["ec2:CreateTags", "ec2:DeleteTags"]
        resources  = [local.sg_arn]
        conditions = [local.tag_condition.tag_kept, local.tag_condition.owned]
      },
      {
        sid        = "ManageOwnedSecurityGroup"
        actions    = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"]
        resources  = [local.sg_arn]
        conditions = [local.tag_condition.owned]
      },
    ]

    this = [
      {
        sid       = "WebAclAssociation"
        actions   = ["wafv2:AssociateWebACL", "wafv2:DisassociateWebACL"]
        resources = ["*"]
      },
      {
        sid        = "CreateTaggedLoadBalancer"
        actions    = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]
        resources  = ["*"]
        conditions = [local.tag_condition.created_tagged]
      },
      {
        sid = "ListenersAndRules"
        actions = [
          "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
          "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
        ]
        resources = ["*"]
      },
      {
        sid        = "RetagOwnedLoadBalancer"
        actions    = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
        resources  = local.owned_lbs
        conditions = [local.tag_condition.tag_kept, local.tag_condition.owned]
      },
      {
        sid     = "TagListenersAndRules"
        actions = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
        resources = [
          "${local.elb}:listener/app/*/*/*", "${local.elb}:listener/net/*/*/*",
          "${local.elb}:listener-rule/app/*/*/*", "${local.elb}:listener-rule/net/*/*/*",
        ]
      },
      {
        sid = "ModifyOwnedLoadBalancer"
        actions = [
          "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
          "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
          "elasticloadbalancing:ModifyIpPools",
        ]
        resources  = ["*"]
        conditions = [local.tag_condition.owned]
      },
      {
        sid       = "TagOnCreate"
        actions   = ["elasticloadbalancing:AddTags"]
        resources = local.owned_lbs
        conditions = [
          { test = "StringEquals", variable = "elasticloadbalancing:CreateAction", values = ["CreateTargetGroup", "CreateLoadBalancer"] },
          local.tag_condition.created_tagged,
        ]
      },
      {
        sid       = "RegisterPodIps"
        actions   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
        resources = ["${local.elb}:targetgroup/*/*"]
      },
      {
        sid = "ListenerSettings"
        actions = [
          "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
          "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
        ]
        resources = ["*"]
      },
    ]
  }
}

data "aws_iam_policy_document" "this" {
  for_each = local.policies

  dynamic "statement" {
    for_each = each.value
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = try(statement.value.conditions, [])
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_policy" "this" {
  name        = "${var.name_prefix}-lb-controller"
  description = "AWS Load Balancer Controller (ALB for the inventory Ingress)."
  policy      = data.aws_iam_policy_document.this["this"].json
  tags        = var.tags
}

resource "aws_iam_policy" "network" {
  name        = "${var.name_prefix}-lb-controller-network"
  description = "AWS Load Balancer Controller: discovery, service-linked role, security groups."
  policy      = data.aws_iam_policy_document.this["network"].json
  tags        = var.tags
}

# Addresses before the role was written once in modules/irsa-role.
moved {
  from = aws_iam_role.this
  to   = module.role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.this
  to   = module.role.aws_iam_role_policy_attachment.this["this"]
}

moved {
  from = aws_iam_role_policy_attachment.network
  to   = module.role.aws_iam_role_policy_attachment.this["network"]
}
