include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/tokens.hcl"
}

# Dev's tokens can be restored for a week after a deletion; prod keeps 30 days.
inputs = {
  recovery_window_in_days = 7
}
