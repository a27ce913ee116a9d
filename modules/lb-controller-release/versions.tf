terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.81.0: the lower bound every module of this repository shares (see
      # modules/alarms/versions.tf).
      version = ">= 5.81.0, < 7.0"
    }
    # 3.x: the provider's `kubernetes` setting is an attribute, not a block.
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0, < 4.0"
    }
  }
}
