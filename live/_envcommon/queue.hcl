terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules/queue"
}

inputs = {
  max_receive_count          = 5
  visibility_timeout_seconds = 30
}
