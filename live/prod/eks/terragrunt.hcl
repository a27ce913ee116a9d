include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path   = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/eks.hcl"
  expose = true
}

inputs = {
  endpoint_public_access = false
  cluster_log_types      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  spot_min_size          = 2
  spot_desired_size      = 2
  spot_max_size          = 10
  log_retention_days     = 90
}
