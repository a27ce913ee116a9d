locals {
  aws_region = "eu-west-1"
  # Dev takes the cheaper shape: two AZs (EKS's minimum), one NAT gateway
  # (network default). Prod spreads over three with a NAT gateway each.
  # README, "The whole bill", shows what this saves.
  azs = ["eu-west-1a", "eu-west-1b"]
}
