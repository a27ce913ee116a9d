# Optional WAF web ACL and DNS record in front of the inventory ALB; both off
# unless an environment turns them on (prod: the web ACL). The DNS record
# needs the ALB, which exists only after the first pipeline deploy.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  name_prefix = local.env.name
  # The name the render step gives the Ingress's ALB (scripts/render/ingress.ts).
  load_balancer_name = "${local.env.name}-inventory"
}
