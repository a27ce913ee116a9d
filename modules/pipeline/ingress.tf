# The inventory Ingress settings for the render step (scripts/render), as
# CodeBuild variables. An empty one is left out, so the render step treats it
# as unset: no web ACL, no host rule, and for the certificate an error that
# names --certificate-arn.
locals {
  ingress_variables = { for k, v in {
    INGRESS_SCHEME          = var.ingress.scheme
    INGRESS_CERTIFICATE_ARN = var.ingress.certificate_arn
    INGRESS_WAF_ACL_ARN     = var.ingress.waf_acl_arn
    INGRESS_HOSTNAME        = var.ingress.hostname
  } : k => v if v != "" }
}
