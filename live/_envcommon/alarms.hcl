locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  name_prefix       = local.env.name
  environment       = local.env.env
  queue_name        = dependency.queue.outputs.inventory_queue_name
  dlq_name          = dependency.queue.outputs.dlq_name
  price_queue_name  = dependency.queue.outputs.price_queue_name
  backlog_threshold = 50
  backlog_minutes   = 5
  subscriptions     = local.env.oncall
  # Scan findings and the budget: the notices topic, which never pages.
  notice_subscriptions = local.env.notices
  # README, "The whole bill": the fixed monthly cost plus room for traffic.
  monthly_budget_usd = local.env.monthly_budget_usd
}
