locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

inputs = {
  max_receive_count          = 10
  visibility_timeout_seconds = 30
  # The largest size the pinned provider accepts (aws 5.100.0 validates
  # aws_sqs_queue.max_message_size to 1024-262144 although SQS now takes
  # 1 MiB); set here so the deploy guide's size check names what is planned.
  max_message_size = 262144
  # The on-call may peek into the DLQ and redrive it (npm run dlq), nothing more.
  name_prefix       = local.env.name
  redrive_role_arns = local.env.oncall_role_arns
}
