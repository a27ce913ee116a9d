# Which images expire: by count in a registry whose own builds are the
# newest (dev), by age in one that receives another environment's builds
# (prod), where a count would expire the release it runs once enough newer
# builds had arrived; a count there is refused at plan. Run by npm test
# (test/infra/plan.test.ts), which adds offline provider settings.

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "222222222222" }
}

run "by_count_by_default" {
  command = plan

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.this["inventory"].policy).rules[0].selection == { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }
    error_message = "a registry of its own builds keeps the last keep_images"
  }
}

run "by_age_where_builds_arrive_by_replication" {
  command = plan

  variables {
    replication_source_accounts = ["111111111111"]
    expire_after_days           = 365
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.this["pricing"].policy).rules[0].selection == { tagStatus = "any", countType = "sinceImagePushed", countUnit = "days", countNumber = 365 }
    error_message = "images expire a year after they arrive, whatever their number"
  }
}

run "count_refused_where_builds_arrive_by_replication" {
  command = plan

  variables {
    replication_source_accounts = ["111111111111"]
  }

  expect_failures = [aws_ecr_lifecycle_policy.this]
}
