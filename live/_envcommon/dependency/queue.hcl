# live/<env>/queue (the three queues) as a dependency, written once for every unit that
# reads its outputs: such a unit includes this file beside root.hcl and its
# _envcommon file. The mocks cover every output a unit reads; plan only.

dependency "queue" {
  config_path = "${get_terragrunt_dir()}/../queue"

  mock_outputs = {
    inventory_queue_name = "inventory-update-queue"
    dlq_name             = "inventory-update-dlq"
    price_queue_name     = "price-change-queue"
    inventory_queue_arn  = "arn:aws:sqs:eu-west-1:123456789012:inventory-update-queue"
    dlq_arn              = "arn:aws:sqs:eu-west-1:123456789012:inventory-update-dlq"
    price_queue_arn      = "arn:aws:sqs:eu-west-1:123456789012:price-change-queue"
    inventory_queue_url  = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue"
    price_queue_url      = "https://sqs.eu-west-1.amazonaws.com/123456789012/price-change-queue"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}
