terraform {
  source = "${dirname(find_in_parent_folders("root.hcl"))}/../modules/ecr"
}

inputs = {
  repositories = ["inventory", "pricing"]
}
