# Planned against the real aws provider with fake credentials: nothing here
# reaches AWS. Only the ALB lookup (an ELB call) is overridden.

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

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

run "off_by_default" {
  command = plan

  assert {
    condition     = length(aws_wafv2_web_acl.this) == 0 && length(aws_route53_record.this) == 0
    error_message = "Neither a web ACL nor a record without the variables."
  }

  assert {
    condition     = output.web_acl_arn == "" && output.fqdn == ""
    error_message = "Empty outputs, which the render step treats as unset."
  }
}

run "rate_limit_per_client_ip" {
  command = plan

  variables {
    waf_enabled = true
    rate_limit  = 1200
  }

  assert {
    condition     = aws_wafv2_web_acl.this[0].scope == "REGIONAL" && one(aws_wafv2_web_acl.this[0].default_action).allow != null
    error_message = "A regional web ACL (the kind an ALB takes) that lets through what no rule blocks."
  }

  assert {
    condition     = one(one(one(aws_wafv2_web_acl.this[0].rule).statement).rate_based_statement).aggregate_key_type == "IP"
    error_message = "The rate is counted per client IP."
  }

  assert {
    condition     = one(one(one(aws_wafv2_web_acl.this[0].rule).statement).rate_based_statement).limit == 1200 && one(one(one(aws_wafv2_web_acl.this[0].rule).statement).rate_based_statement).evaluation_window_sec == 300
    error_message = "The limit and the 5-minute window come from the variables."
  }

  assert {
    condition     = one(one(one(one(aws_wafv2_web_acl.this[0].rule).action).block).custom_response).response_code == 429
    error_message = "A client over the limit gets 429, not WAF's default 403."
  }
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
