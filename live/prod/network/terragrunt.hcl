include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/network.hcl"
}

# One NAT gateway per AZ: an AZ outage does not cut the others off.
inputs = {
  nat_gateway_per_az = true
}
