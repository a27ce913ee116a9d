locals {
  # The AWS account of the dev environment (replace with yours).
  account_id = "111111111111"
}
