data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  region = data.aws_region.current.name
  # One group per service, named /<name_prefix>/<service>; the aws-logging
  # ConfigMap and the Spot nodes' Fluent Bit (scripts/render/observability.ts)
  # write to exactly these names, and test/infra ties the two together.
  services   = ["inventory", "pricing"]
  log_groups = { for s in local.services : s => "/${var.name_prefix}/${s}" }
  # The metrics collector writes its EMF events here; CloudWatch turns them
  # into the metrics under var.metrics_namespace.
  metrics_log_group = "/${var.name_prefix}/metrics"
  log_group_arn     = "arn:${data.aws_partition.current.partition}:logs:${local.region}:${data.aws_caller_identity.current.account_id}:log-group"
}

resource "aws_cloudwatch_log_group" "service" {
  for_each = local.log_groups

  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = merge(var.tags, { Service = each.key })
}

resource "aws_cloudwatch_log_group" "metrics" {
  name              = local.metrics_log_group
  retention_in_days = var.metrics_log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# Saved Logs Insights queries (CloudWatch > Logs Insights > Saved queries),
# one entry each: the name after "<name_prefix>/", the log group it reads
# and the query. Field names are those of src/shared/log.ts (ts, level, msg,
# service) and of the services' log calls; Fluent Bit sends each line
# unchanged, so every JSON field can be filtered on by name.
locals {
  queries = {
    price_decisions_for_sku = {
      name      = "price decisions for one SKU"
      log_group = aws_cloudwatch_log_group.service["pricing"].name
      query     = <<-EOT
        # Replace SKU-123 with the SKU in question.
        fields @timestamp, msg, sku, version, quantity, previousPrice, price, currency, rule, updateId
        | filter sku = "SKU-123"
        | filter msg like /^price\./
        | sort @timestamp desc
        | limit 200
      EOT
    }
    inventory_5xx = {
      name      = "inventory 5xx answers"
      log_group = aws_cloudwatch_log_group.service["inventory"].name
      query     = <<-EOT
        # 500 (request.failed) and 503 publish_failed (publish.partial_failure);
        # counts of every 5xx per status are on the dashboard.
        fields @timestamp, msg, requestId, code, failed, updates, err.name, err.code, err.message, @logStream
        | filter msg in ["request.failed", "publish.partial_failure", "queue.resolve_failed"] or level = "error"
        | sort @timestamp desc
        | limit 200
      EOT
    }
    poison_messages = {
      name      = "poison messages"
      log_group = aws_cloudwatch_log_group.service["pricing"].name
      query     = <<-EOT
        # Messages pricing cannot read; after maxReceiveCount receives SQS moves
        # them to the DLQ. messageId finds the message there.
        fields @timestamp, messageId, receiveCount, code, field, @logStream
        | filter msg = "message.poison"
        | sort @timestamp desc
        | limit 200
      EOT
    }
    slow_publishes = {
      name      = "slow publishes"
      log_group = aws_cloudwatch_log_group.metrics.name
      query     = <<-EOT
        # Per pod and minute: mean time from an update's request to SQS storing
        # it (the inventory_publish_latency_seconds histogram, as EMF), slowest
        # first. Change 0.25 (seconds) to taste.
        fields @timestamp, PodName, inventory_publish_latency_seconds.Sum / inventory_publish_latency_seconds.Count as mean_s, inventory_publish_latency_seconds.Count as stored
        | filter Service = "inventory" and stored > 0 and mean_s > 0.25
        | sort mean_s desc
        | limit 100
      EOT
    }
  }
}

resource "aws_cloudwatch_query_definition" "this" {
  for_each = local.queries

  name            = "${var.name_prefix}/${each.value.name}"
  log_group_names = [each.value.log_group]
  query_string    = each.value.query
}

# Addresses before the queries were one map.
moved {
  from = aws_cloudwatch_query_definition.price_decisions_for_sku
  to   = aws_cloudwatch_query_definition.this["price_decisions_for_sku"]
}

moved {
  from = aws_cloudwatch_query_definition.inventory_5xx
  to   = aws_cloudwatch_query_definition.this["inventory_5xx"]
}

moved {
  from = aws_cloudwatch_query_definition.poison_messages
  to   = aws_cloudwatch_query_definition.this["poison_messages"]
}

moved {
  from = aws_cloudwatch_query_definition.slow_publishes
  to   = aws_cloudwatch_query_definition.this["slow_publishes"]
}
