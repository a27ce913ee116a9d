locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

# name_prefix is the cluster's name: the Fargate role may write /<cluster>/*,
# and the rendered aws-logging ConfigMap writes /<cluster>/<service>.
inputs = {
  name_prefix       = dependency.eks.outputs.cluster_name
  alarm_topic_arn   = dependency.alarms.outputs.topic_arn
  queue_name        = dependency.queue.outputs.inventory_queue_name
  price_queue_name  = dependency.queue.outputs.price_queue_name
  oidc_provider_arn = dependency.eks.outputs.oidc_provider_arn
  # The name the render step gives the Ingress's ALB (scripts/render/ingress.ts);
  # read only once unit_inputs.observability sets alb_alarm_enabled.
  load_balancer_name = "${local.env.name}-inventory"
}
