# One role per ServiceAccount. Trust: only that exact
# system:serviceaccount:NAMESPACE:NAME, audience sts.amazonaws.com.
# Permissions: exactly the SQS calls each service's code makes
# (SendMessageBatch is authorized by sqs:SendMessage, DeleteMessageBatch by
# sqs:DeleteMessage, ChangeMessageVisibilityBatch by
# sqs:ChangeMessageVisibility). A test derives the list from src/ and
# compares it with the statements below.

locals {
  issuer = replace(var.oidc_issuer_url, "https://", "")
  # The one subject each role trusts.
  subjects = {
    inventory = "system:serviceaccount:${var.namespace}:${var.inventory_service_account}"
    pricing   = "system:serviceaccount:${var.namespace}:${var.pricing_service_account}"
  }
}

data "aws_iam_policy_document" "trust" {
  for_each = local.subjects

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = [each.value]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }

  # With KEDA (identityOwner: workload), KEDA's operator assumes the pricing
  # role to read the queue's length.
  dynamic "statement" {
    for_each = var.keda_enabled && each.key == "pricing" ? [1] : []
    content {
      sid     = "KedaOperator"
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = [aws_iam_role.keda[0].arn]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.subjects

  name               = "${var.name_prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
  tags               = var.tags
}

# Only with a customer managed key: SSE-SQS needs no KMS permission.
data "aws_iam_policy_document" "kms" {
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "QueueKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "inventory" {
  source_policy_documents = [data.aws_iam_policy_document.kms.json]

  statement {
    sid       = "PublishUpdates"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [var.inventory_queue_arn]
  }
}

# What KEDA's aws-sqs-queue scaler calls, as the pricing role: only with KEDA.
data "aws_iam_policy_document" "keda_scaling" {
  dynamic "statement" {
    for_each = var.keda_enabled ? [1] : []
    content {
      sid       = "KedaReadsBacklog"
      actions   = ["sqs:GetQueueAttributes"]
      resources = [var.inventory_queue_arn]
    }
  }
}

data "aws_iam_policy_document" "pricing" {
  source_policy_documents = [data.aws_iam_policy_document.kms.json, data.aws_iam_policy_document.keda_scaling.json]

  statement {
    sid       = "ConsumeUpdates"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl"]
    resources = [var.inventory_queue_arn]
  }

  statement {
    sid       = "PublishDecisions"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [var.price_queue_arn]
  }

  # A malformed event inside a packed message is sent to the DLQ on its own.
  statement {
    sid       = "DeadLetterEvents"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [var.inventory_dlq_arn]
  }
}

resource "aws_iam_role_policy" "inventory" {
  name   = "sqs"
  role   = aws_iam_role.this["inventory"].id
  policy = data.aws_iam_policy_document.inventory.json
}

resource "aws_iam_role_policy" "pricing" {
  name   = "sqs"
  role   = aws_iam_role.this["pricing"].id
  policy = data.aws_iam_policy_document.pricing.json
}

# KEDA's operator (optional): its own IRSA role, trusted by the operator's
# ServiceAccount only, allowed only to assume the pricing role.
data "aws_iam_policy_document" "keda_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = ["system:serviceaccount:${var.keda_namespace}:${var.keda_service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "keda" {
  count = var.keda_enabled ? 1 : 0

  name               = "${var.name_prefix}-keda-operator"
  assume_role_policy = data.aws_iam_policy_document.keda_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "keda" {
  statement {
    sid       = "AssumePricingRole"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${var.name_prefix}-pricing"]
  }
}

resource "aws_iam_role_policy" "keda" {
  count = var.keda_enabled ? 1 : 0

  name   = "assume-pricing"
  role   = aws_iam_role.keda[0].id
  policy = data.aws_iam_policy_document.keda.json
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
