include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/eks.hcl"
}

# The public API endpoint answers only these CIDRs: replace the
# documentation range with your office or VPN egress addresses.
inputs = {
  public_access_cidrs = ["203.0.113.0/24"]
}
