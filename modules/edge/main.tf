# The optional edge of the inventory API, both parts off by default:
# - a WAFv2 web ACL whose one rule limits requests per client IP (inventory
#   has no rate limit of its own); the Ingress names it
#   (alb.ingress.kubernetes.io/wafv2-acl-arn) and the controller attaches it;
# - a Route 53 alias record for the ALB the controller created. The ALB exists
#   only after the first pipeline deploy, so hosted_zone_id is set afterwards.

resource "aws_wafv2_web_acl" "this" {
  count = var.waf_enabled ? 1 : 0

  name        = "${var.name_prefix}-inventory"
  description = "Inventory API: rate limit per client IP."
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  custom_response_body {
    key          = "rate_limited"
    content_type = "APPLICATION_JSON"
    content      = jsonencode({ error = { code = "rate_limited", message = "too many requests from this address; retry later" } })
  }

  rule {
    name     = "rate-per-client-ip"
    priority = 1

    action {
      block {
        custom_response {
          response_code            = 429
          custom_response_body_key = "rate_limited"
          response_header {
            name  = "retry-after"
            value = tostring(var.rate_window_seconds)
          }
        }
      }
    }

    statement {
      rate_based_statement {
        limit                 = var.rate_limit
        evaluation_window_sec = var.rate_window_seconds
        aggregate_key_type    = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-rate-per-client-ip"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name_prefix}-inventory"
    sampled_requests_enabled   = true
  }

  tags = var.tags
}

data "aws_lb" "inventory" {
  count = var.hosted_zone_id == null ? 0 : 1
  name  = var.load_balancer_name
}

resource "aws_route53_record" "this" {
  count = var.hosted_zone_id == null ? 0 : 1

  zone_id = var.hosted_zone_id
  name    = var.hostname
  type    = "A"

  alias {
    name                   = data.aws_lb.inventory[0].dns_name
    zone_id                = data.aws_lb.inventory[0].zone_id
    evaluate_target_health = true
  }

  lifecycle {
    precondition {
      condition     = var.hostname != null
      error_message = "hostname is required when hosted_zone_id is set."
    }
  }
}
