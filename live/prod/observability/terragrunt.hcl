include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/observability.hcl"
}

include "eks" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/dependency/eks.hcl"
}

include "queue" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/dependency/queue.hcl"
}

# Logs kept 90 days.
inputs = {
  log_retention_days = 90
}
