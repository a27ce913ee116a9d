locals {
  # The AWS account of the prod environment (replace with yours).
  account_id = "222222222222"
}
