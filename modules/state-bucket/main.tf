# Guards the Terraform state bucket that Terragrunt creates on the first run
# (live/root.hcl, remote_state). The bucket itself stays Terragrunt's; this
# unit keeps versioning on (a bad state write can be rolled back) and puts a
# bucket policy that denies deleting the bucket or its object versions to
# everyone, and any request without TLS. Deleting the bucket then takes two
# deliberate steps: remove this policy, then delete. In prod the policy and
# the versioning carry prevent_destroy (generate "prevent_destroy" in
# live/root.hcl).

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "NoBucketDeletion"
    effect    = "Deny"
    actions   = ["s3:DeleteBucket", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

data "aws_partition" "current" {}

locals {
  bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.bucket}"
}

resource "aws_s3_bucket_policy" "this" {
  bucket = var.bucket
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = var.bucket

  versioning_configuration {
    status = "Enabled"
  }
}
