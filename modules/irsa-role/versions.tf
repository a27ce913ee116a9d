terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.81.0 is the first release with everything these modules use:
      # aws_codeconnections_connection (5.80.0) and an
      # aws_iam_openid_connect_provider without thumbprint_list (5.81.0).
      version = ">= 5.81.0, < 7.0"
    }
  }
}
