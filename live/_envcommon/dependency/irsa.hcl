# live/<env>/irsa (the services' and KEDA's IAM roles) as a dependency, written once for every unit that
# reads its outputs: such a unit includes this file beside root.hcl and its
# _envcommon file. The mocks cover every output a unit reads; plan only.

dependency "irsa" {
  config_path = "${get_terragrunt_dir()}/../irsa"

  mock_outputs = {
    inventory_role_arn     = "arn:aws:iam::123456789012:role/stockprice-mock-inventory"
    pricing_role_arn       = "arn:aws:iam::123456789012:role/stockprice-mock-pricing"
    keda_operator_role_arn = "arn:aws:iam::123456789012:role/stockprice-mock-keda-operator"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}
