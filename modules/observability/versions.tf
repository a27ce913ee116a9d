terraform {
  required_version = ">= 1.7.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.81.0: the lower bound every module of this repository shares (see
      # modules/alarms/versions.tf).
      version = ">= 5.81.0, < 7.0"
    }
  }
}
