# One IAM role for one Kubernetes ServiceAccount (IRSA), the shape every
# module that needs such a role calls: trusted only by the web identity
# system:serviceaccount:<namespace>:<service_account> of the cluster's OIDC
# provider, audience sts.amazonaws.com, plus (optionally) named IAM roles
# that may assume it; the permissions are inline policies and managed
# policy attachments passed in by the caller.

locals {
  # The provider's ARN ends in its issuer without https://, the prefix of
  # the token's condition keys: one input, so the two cannot disagree.
  issuer = split("oidc-provider/", var.oidc_provider_arn)[1]
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }

  dynamic "statement" {
    for_each = var.assumed_by
    content {
      sid     = statement.key
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = var.inline_policies

  name   = each.key
  role   = aws_iam_role.this.id
  policy = each.value
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = var.policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}
