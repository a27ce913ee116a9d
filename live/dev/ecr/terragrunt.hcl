include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/ecr.hcl"
}

# Build once, promote by digest: dev's images are replicated to prod's
# registry (prod's account, live/prod/account.hcl), digests unchanged.
inputs = {
  replicate_to_accounts = [{ account_id = "222222222222", region = "eu-west-1" }]
  # A copy of every image in a recovery region (docs/deploy-aws.md,
  # "Recovery"); [] for none. Replication is not transitive, so the copy is
  # made by the registry that receives the pushes: dev's.
  replicate_to_regions = ["eu-central-1"]
}
