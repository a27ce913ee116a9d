include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/ecr.hcl"
}

inputs = {
  keep_images = 100
  # Dev's account (live/dev/account.hcl) replicates its images here.
  replication_source_accounts = ["111111111111"]
}
