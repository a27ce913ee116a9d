# Run by npm test (test/infra/plan.test.ts), which adds the offline provider
# settings: the real provider, fake credentials, no AWS call.

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:root", user_id = "123456789012" }
}

variables {
  name                = "stockprice-test"
  repository          = "example/stockprice"
  deploy_env          = "dev"
  cluster_name        = "stockprice-test"
  cluster_arn         = "arn:aws:eks:eu-west-1:123456789012:cluster/stockprice-test"
  ecr_repository_urls = { inventory = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/stockprice/inventory", pricing = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/stockprice/pricing" }
  ecr_repository_arns = { inventory = "arn:aws:ecr:eu-west-1:123456789012:repository/stockprice/inventory", pricing = "arn:aws:ecr:eu-west-1:123456789012:repository/stockprice/pricing" }
  inventory_role_arn  = "arn:aws:iam::123456789012:role/stockprice-test-inventory"
  pricing_role_arn    = "arn:aws:iam::123456789012:role/stockprice-test-pricing"
  inventory_queue_url = "https://sqs.eu-west-1.amazonaws.com/123456789012/inventory-update-queue"
  price_queue_url     = "https://sqs.eu-west-1.amazonaws.com/123456789012/price-change-queue"
  deploy_subnet_ids   = ["subnet-00000000000000001", "subnet-00000000000000002"]

  deploy_security_group_id = "sg-00000000000000001"
}

run "build_logs_go_to_a_group_with_retention" {
  command = plan

  assert {
    condition     = aws_cloudwatch_log_group.build.retention_in_days == 30 && aws_cloudwatch_log_group.deploy.retention_in_days == 30
    error_message = "the build and deploy log groups must have a retention"
  }
  assert {
    condition     = aws_codebuild_project.this.logs_config[0].cloudwatch_logs[0].group_name == aws_cloudwatch_log_group.build.name
    error_message = "CodeBuild must write to the group Terraform created"
  }
  assert {
    condition     = aws_cloudwatch_log_group.deploy.name == "/aws/codepipeline/stockprice-test"
    error_message = "the deploy group is the one CodePipeline-managed compute writes to, /aws/codepipeline/<pipeline name>"
  }
}
