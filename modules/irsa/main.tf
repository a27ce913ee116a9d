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

data "aws_iam_policy_document" "pricing" {
  source_policy_documents = [data.aws_iam_policy_document.kms.json]

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
