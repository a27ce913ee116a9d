output "web_acl_arn" {
  description = "ARN of the web ACL, or \"\" when waf_enabled is false: the render step's --waf-acl-arn (INGRESS_WAF_ACL_ARN)."
  value       = var.waf_enabled ? aws_wafv2_web_acl.this[0].arn : ""
}

output "fqdn" {
  description = "Name of the DNS record, or \"\" without hosted_zone_id."
  value       = var.hosted_zone_id == null ? "" : aws_route53_record.this[0].fqdn
}

output "load_balancer_dns_name" {
  description = "DNS name of the inventory ALB, or \"\" without hosted_zone_id (the only time it is looked up)."
  value       = var.hosted_zone_id == null ? "" : data.aws_lb.inventory[0].dns_name
}
