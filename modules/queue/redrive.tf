# Who may look into the DLQ and send its messages back (npm run dlq, the DLQ
# alarm's runbook line): a managed policy with exactly the calls of
# scripts/dlq/ops.ts, plus what SQS needs to run a move task with the
# caller's rights (sqs:DeleteMessage on the DLQ, sqs:SendMessage on the
# destination), attached to each redrive_role_arns role. Nothing more: no
# purge, no attribute changes, no sends elsewhere, no reads of the work queue.

locals {
  redrive_role_names = { for arn in var.redrive_role_arns : arn => element(split("/", arn), length(split("/", arn)) - 1) }
}

data "aws_iam_policy_document" "redrive" {
  statement {
    sid = "PeekAndMoveFromDlq"
    actions = [
      "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ReceiveMessage",
      "sqs:StartMessageMoveTask", "sqs:ListMessageMoveTasks", "sqs:DeleteMessage",
    ]
    resources = [aws_sqs_queue.dlq.arn]
  }

  statement {
    sid       = "MoveBackToSource"
    actions   = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "QueueKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_policy" "redrive" {
  name        = "${var.name_prefix}-dlq-redrive"
  description = "Peek into ${local.names.dlq} and move its messages back to ${local.names.inventory} (npm run dlq)."
  policy      = data.aws_iam_policy_document.redrive.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "redrive" {
  for_each = local.redrive_role_names

  role       = each.value
  policy_arn = aws_iam_policy.redrive.arn
}
