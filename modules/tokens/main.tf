# Inventory's API tokens, kept where a cluster rebuild, a blue/green upgrade
# or a regional recovery cannot lose them: one Secrets Manager secret, one
# token per line (the format of AUTH_TOKENS_FILE). External Secrets Operator
# syncs it into the Secret the pods mount (manifests/inventory/
# external-secret.yaml), authenticating as the inventory ServiceAccount, so
# the inventory role may read this one secret.
#
# No value is set here (a token in Terraform state would be a token in S3):
# put the first version with `aws secretsmanager put-secret-value`
# (docs/deploy-aws.md); a rotation is another put-secret-value.

data "aws_iam_policy_document" "read" {
  statement {
    sid       = "ReadApiTokens"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.this.arn]
  }
}

resource "aws_secretsmanager_secret" "this" {
  # Must equal tokensSecretName() in scripts/render/manifests.ts.
  name                    = "${var.name}/inventory-api-tokens"
  description             = "API tokens of the inventory service, one per line (AUTH_TOKENS_FILE)."
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = var.tags
}

resource "aws_iam_role_policy" "read" {
  name   = "read-api-tokens"
  role   = element(split("/", var.inventory_role_arn), length(split("/", var.inventory_role_arn)) - 1)
  policy = data.aws_iam_policy_document.read.json
}
