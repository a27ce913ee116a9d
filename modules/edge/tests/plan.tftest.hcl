# Run by npm test (test/infra/plan.test.ts), which adds the offline provider
# settings (the real aws provider, fake credentials): nothing here
# reaches AWS. Only the ALB lookup (an ELB call) is overridden. What the
# units plan (dev: both parts off; prod: the rate limit) is checked on their
# plans (test/infra/plan-checks/edge.ts); these runs cover the rest.

override_data {
  target = data.aws_lb.inventory[0]
  values = {
    dns_name = "stockprice-dev-inventory-1234567890.eu-west-1.elb.amazonaws.com"
    zone_id  = "Z32O12XQLNTSW2"
  }
}

variables {
  name_prefix        = "stockprice-dev"
  load_balancer_name = "stockprice-dev-inventory"
}

run "dns_record_aliases_the_inventory_alb" {
  command = plan

  variables {
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
    hostname       = "inventory.example.com"
  }

  assert {
    condition     = aws_route53_record.this[0].name == "inventory.example.com" && aws_route53_record.this[0].type == "A"
    error_message = "An A record for the hostname."
  }

  assert {
    condition     = one(aws_route53_record.this[0].alias).name == "stockprice-dev-inventory-1234567890.eu-west-1.elb.amazonaws.com" && one(aws_route53_record.this[0].alias).zone_id == "Z32O12XQLNTSW2"
    error_message = "The record aliases the ALB found by its name."
  }
}

run "zone_without_hostname_fails" {
  command = plan

  variables {
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [aws_route53_record.this]
}

run "rejects_a_window_waf_does_not_offer" {
  command = plan

  variables {
    waf_enabled         = true
    rate_window_seconds = 30
  }

  expect_failures = [var.rate_window_seconds]
}
