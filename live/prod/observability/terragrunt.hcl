include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path   = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/observability.hcl"
  expose = true
}

# Updates must always flow in prod: silence pages. Logs kept 90 days.
inputs = {
  updates_arriving_enabled = true
  log_retention_days       = 90
}
