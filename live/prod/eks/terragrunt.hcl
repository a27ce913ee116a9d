include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/eks.hcl"
}

# Private endpoint only: people come in through the Session Manager host
# (docs/deploy-aws.md, "Reaching the private API endpoint").
inputs = {
  endpoint_public_access = false
  admin_host             = true
  cluster_log_types      = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  spot_min_size          = 2
  spot_desired_size      = 2
  spot_max_size          = 10
  log_retention_days     = 90
}
