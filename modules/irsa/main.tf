# One role per ServiceAccount. Trust: only that exact
# system:serviceaccount:NAMESPACE:NAME, audience sts.amazonaws.com.
# Permissions: exactly the SQS calls each service's code makes
# (SendMessageBatch is authorized by sqs:SendMessage, DeleteMessageBatch by
# sqs:DeleteMessage, ChangeMessageVisibilityBatch by
# sqs:ChangeMessageVisibility). A test derives the list from src/ and
# compares it with the statements below.

locals {
  # The ServiceAccount each role trusts (modules/irsa-role).
  subjects = {
    inventory = var.inventory_service_account
    pricing   = var.pricing_service_account
  }
}

module "role" {
  source   = "../irsa-role"
  for_each = local.subjects

  name              = "${var.name_prefix}-${each.key}"
  oidc_provider_arn = var.oidc_provider_arn
  namespace         = var.namespace
  service_account   = each.value
  # With KEDA (identityOwner: workload), KEDA's operator assumes the pricing
  # role to read the queue's length.
  assumed_by      = var.keda_enabled && each.key == "pricing" ? { KedaOperator = module.keda[0].arn } : {}
  inline_policies = { sqs = each.key == "inventory" ? data.aws_iam_policy_document.inventory.json : data.aws_iam_policy_document.pricing.json }
  tags            = var.tags
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

# KEDA's operator (optional): its own IRSA role, trusted by the operator's
# ServiceAccount only, allowed only to assume the pricing role.
module "keda" {
  source = "../irsa-role"
  count  = var.keda_enabled ? 1 : 0

  name              = "${var.name_prefix}-keda-operator"
  oidc_provider_arn = var.oidc_provider_arn
  namespace         = var.keda_namespace
  service_account   = var.keda_service_account
  inline_policies   = { assume-pricing = data.aws_iam_policy_document.keda.json }
  tags              = var.tags
}

data "aws_iam_policy_document" "keda" {
  statement {
    sid       = "AssumePricingRole"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${var.name_prefix}-pricing"]
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# Addresses before the roles were written once in modules/irsa-role.
moved {
  from = aws_iam_role.this["inventory"]
  to   = module.role["inventory"].aws_iam_role.this
}

moved {
  from = aws_iam_role.this["pricing"]
  to   = module.role["pricing"].aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.inventory
  to   = module.role["inventory"].aws_iam_role_policy.this["sqs"]
}

moved {
  from = aws_iam_role_policy.pricing
  to   = module.role["pricing"].aws_iam_role_policy.this["sqs"]
}

moved {
  from = aws_iam_role.keda[0]
  to   = module.keda[0].aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.keda[0]
  to   = module.keda[0].aws_iam_role_policy.this["assume-pricing"]
}
