output "inventory_queue_url" {
  description = "URL of inventory-update-queue (the services' QUEUE_URL)."
  value       = aws_sqs_queue.this.url
}

output "inventory_queue_arn" {
  description = "ARN of inventory-update-queue."
  value       = aws_sqs_queue.this.arn
}

output "inventory_queue_name" {
  description = "Name of inventory-update-queue (CloudWatch dimension QueueName)."
  value       = aws_sqs_queue.this.name
}

output "dlq_url" {
  description = "URL of inventory-update-dlq."
  value       = aws_sqs_queue.dlq.url
}

output "dlq_arn" {
  description = "ARN of inventory-update-dlq."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_name" {
  description = "Name of inventory-update-dlq."
  value       = aws_sqs_queue.dlq.name
}

output "price_queue_url" {
  description = "URL of price-change-queue (pricing's PRICE_QUEUE_URL)."
  value       = aws_sqs_queue.price.url
}

output "price_queue_arn" {
  description = "ARN of price-change-queue."
  value       = aws_sqs_queue.price.arn
}

output "price_queue_name" {
  description = "Name of price-change-queue."
  value       = aws_sqs_queue.price.name
}

output "redrive_policy_arn" {
  description = "ARN of the managed policy that lets a role peek into the DLQ and redrive it (npm run dlq)."
  value       = aws_iam_policy.redrive.arn
}
