# live/<env>/network (the VPC) as a dependency, written once for every unit that
# reads its outputs: such a unit includes this file beside root.hcl and its
# _envcommon file. The mocks cover every output a unit reads; plan only.

dependency "network" {
  config_path = "${get_terragrunt_dir()}/../network"

  mock_outputs = {
    vpc_id             = "vpc-00000000000000000"
    private_subnet_ids = ["subnet-00000000000000001", "subnet-00000000000000002"]
    public_subnet_ids  = ["subnet-00000000000000003", "subnet-00000000000000004"]
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}
