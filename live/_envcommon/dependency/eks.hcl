# live/<env>/eks (the cluster) as a dependency, for every unit that runs on it
# or trusts its OIDC provider: such a unit includes this file beside root.hcl
# and its _envcommon file (Terragrunt does not nest includes). The mocks are
# shaped like modules/eks's outputs; plan only.

dependency "eks" {
  config_path = "${get_terragrunt_dir()}/../eks"

  mock_outputs = {
    cluster_name              = "stockprice-mock"
    cluster_arn               = "arn:aws:eks:eu-west-1:123456789012:cluster/stockprice-mock"
    cluster_endpoint          = "https://0000000000000000.gr7.eu-west-1.eks.amazonaws.com"
    cluster_ca_data           = "bW9jay1jYQ=="
    oidc_provider_arn         = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000"
    oidc_issuer_url           = "https://oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000"
    cluster_security_group_id = "sg-00000000000000000"
    deploy_security_group_id  = "sg-00000000000000001"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}
