locals {
  suffix = var.fifo ? ".fifo" : ""
  names = {
    inventory = "inventory-update-queue${local.suffix}"
    dlq       = "inventory-update-dlq${local.suffix}"
    price     = "price-change-queue${local.suffix}"
  }
  # SSE-SQS unless a customer managed key is given.
  sse_sqs = var.kms_key_arn == null
}

resource "aws_sqs_queue" "dlq" {
  name                       = local.names.dlq
  fifo_queue                 = var.fifo ? true : null
  message_retention_seconds  = 1209600
  max_message_size           = var.max_message_size
  sqs_managed_sse_enabled    = local.sse_sqs ? true : null
  kms_master_key_id          = var.kms_key_arn
  visibility_timeout_seconds = var.visibility_timeout_seconds
  tags                       = var.tags
}

resource "aws_sqs_queue" "this" {
  name                        = local.names.inventory
  fifo_queue                  = var.fifo ? true : null
  content_based_deduplication = var.fifo ? false : null
  receive_wait_time_seconds   = 20
  visibility_timeout_seconds  = var.visibility_timeout_seconds
  message_retention_seconds   = var.message_retention_seconds
  max_message_size            = var.max_message_size
  sqs_managed_sse_enabled     = local.sse_sqs ? true : null
  kms_master_key_id           = var.kms_key_arn

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })

  tags = var.tags
}

# Only the inventory queue may send its failures to the DLQ.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

# Price decisions for downstream consumers. No DLQ here: this project only
# produces to it; a consumer that needs redrive attaches its own.
resource "aws_sqs_queue" "price" {
  name                        = local.names.price
  fifo_queue                  = var.fifo ? true : null
  content_based_deduplication = var.fifo ? false : null
  receive_wait_time_seconds   = 20
  visibility_timeout_seconds  = var.visibility_timeout_seconds
  message_retention_seconds   = var.message_retention_seconds
  max_message_size            = var.max_message_size
  sqs_managed_sse_enabled     = local.sse_sqs ? true : null
  kms_master_key_id           = var.kms_key_arn
  tags                        = var.tags
}

data "aws_iam_policy_document" "tls_only" {
  for_each = {
    inventory = aws_sqs_queue.this.arn
    dlq       = aws_sqs_queue.dlq.arn
    price     = aws_sqs_queue.price.arn
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:PurgeQueue", "sqs:SetQueueAttributes"]
    resources = [each.value]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "tls_only" {
  for_each = {
    inventory = aws_sqs_queue.this.id
    dlq       = aws_sqs_queue.dlq.id
    price     = aws_sqs_queue.price.id
  }

  queue_url = each.value
  policy    = data.aws_iam_policy_document.tls_only[each.key].json
}
