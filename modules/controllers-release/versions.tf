terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81.0, < 7.0"
    }
    # The kubernetes block of the provider config is the 2.x syntax.
    helm = {
      source  = "hashicorp/helm"
      version = ">= 2.12.0, < 3.0"
    }
  }
}
