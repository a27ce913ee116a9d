# The topic is never encrypted with a key CloudWatch cannot use. Run by npm
# test (test/infra/plan.test.ts), which adds offline provider settings.

variables {
  name_prefix        = "stockprice-test"
  queue_name         = "inventory-update-queue"
  dlq_name           = "inventory-update-dlq"
  price_queue_name   = "price-change-queue"
  monthly_budget_usd = 100
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

run "aws_managed_key_refused" {
  command = plan

  variables {
    kms_key_id = "alias/aws/sns"
  }

  expect_failures = [var.kms_key_id]
}

run "own_key_given" {
  command = plan

  variables {
    kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = length(aws_kms_key.topic) == 0 && aws_sns_topic.this.kms_master_key_id == var.kms_key_id
    error_message = "A given customer managed key is used, and no key is created."
  }
}
