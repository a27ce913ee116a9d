# The promised range of VPC sizes plans with subnets AWS accepts: the units
# plan /16 (test/infra/plan-checks/network.ts), this plans the /24 end.
# Run by npm test (test/infra/plan.test.ts), which adds offline provider settings.

variables {
  name = "stockprice-test"
  azs  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

run "smallest_vpc_24" {
  command = plan

  variables {
    cidr_block = "10.40.7.0/24"
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : tonumber(split("/", s.cidr_block)[1]) <= 28])
    error_message = "A /24 VPC must still give public subnets of /28 or larger."
  }

  assert {
    condition     = [for s in aws_subnet.private : s.cidr_block] == ["10.40.7.0/26", "10.40.7.64/26", "10.40.7.128/26"]
    error_message = "A /24 VPC gives one /26 private subnet per AZ."
  }

  assert {
    condition     = [for s in aws_subnet.public : s.cidr_block] == ["10.40.7.192/28", "10.40.7.208/28", "10.40.7.224/28"]
    error_message = "A /24 VPC gives /28 public subnets in its last quarter."
  }
}

run "too_small_vpc_refused" {
  command = plan

  variables {
    cidr_block = "10.40.7.0/25"
  }

  expect_failures = [var.cidr_block]
}

run "host_address_refused" {
  command = plan

  variables {
    cidr_block = "10.40.0.1/16"
  }

  expect_failures = [var.cidr_block]
}
