include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/alarms.hcl"
}

# Updates must always flow in prod: silence pages.
inputs = {
  oldest_message_age_seconds = 300
  updates_arriving_enabled   = true
}
