# KEDA's IAM exists only when asked for, and then is exactly what its
# aws-sqs-queue scaler needs. Run by npm test (test/infra/plan.test.ts).

variables {
  name_prefix         = "stockprice-test"
  oidc_provider_arn   = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000"
  inventory_queue_arn = "arn:aws:sqs:eu-west-1:123456789012:inventory-update-queue"
  price_queue_arn     = "arn:aws:sqs:eu-west-1:123456789012:price-change-queue"
  inventory_dlq_arn   = "arn:aws:sqs:eu-west-1:123456789012:inventory-update-dlq"
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

run "without_keda" {
  command = plan

  assert {
    condition     = length(module.keda) == 0
    error_message = "No KEDA role unless keda_enabled."
  }

  assert {
    condition     = !strcontains(data.aws_iam_policy_document.pricing.json, "sqs:GetQueueAttributes")
    error_message = "The pricing role gets sqs:GetQueueAttributes only for KEDA."
  }
}

run "with_keda" {
  command = plan

  variables {
    keda_enabled = true
  }

  assert {
    condition     = length(module.keda) == 1 && strcontains(module.keda[0].trust_policy, "system:serviceaccount:keda:keda-operator")
    error_message = "KEDA's operator role trusts exactly the keda/keda-operator ServiceAccount."
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.keda.json).Statement[0].Resource == "arn:aws:iam::123456789012:role/stockprice-test-pricing"
    error_message = "KEDA's operator may assume the pricing role and nothing else."
  }

  assert {
    condition     = strcontains(data.aws_iam_policy_document.keda_scaling.json, "sqs:GetQueueAttributes") && strcontains(data.aws_iam_policy_document.keda_scaling.json, var.inventory_queue_arn)
    error_message = "The pricing role may read the inventory queue's attributes for KEDA."
  }
}
