data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  arn        = "arn:${data.aws_partition.current.partition}"
  # Subnet ARNs, for the ec2:Subnet condition of the deploy action's ENIs.
  deploy_subnet_arns = [for s in var.deploy_subnet_ids : "${local.arn}:ec2:${local.region}:${local.account_id}:subnet/${s}"]
  pricing_policy     = coalesce(var.pricing_policy_path, "live/${var.deploy_env}/policy.yaml")
}

# Confirm the connection once in the console (Developer Tools > Connections)
# after the first apply; until then the Source stage fails.
resource "aws_codeconnections_connection" "this" {
  name          = substr("${var.name}-github", 0, 32)
  provider_type = "GitHub"
  tags          = var.tags
}

resource "aws_s3_bucket" "artifacts" {
  bucket_prefix = "${var.name}-artifacts-"
  force_destroy = true
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    id     = "expire-old-artifacts"
    status = "Enabled"
    filter {}
    expiration {
      days = 30
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
  }
}

resource "aws_codebuild_project" "this" {
  name          = "${var.name}-build"
  service_role  = aws_iam_role.codebuild.arn
  build_timeout = 30

  source {
    type      = "CODEPIPELINE"
    buildspec = local.buildspec # promotion.tf
  }

  artifacts {
    type = "CODEPIPELINE"
  }

  # buildspec.yml caches the npm cache; without this block CodeBuild ignores
  # the buildspec's cache section.
  cache {
    type     = "S3"
    location = "${aws_s3_bucket.artifacts.bucket}/build-cache"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_MEDIUM"
    image           = var.codebuild_image
    type            = "LINUX_CONTAINER"
    privileged_mode = !var.promote_from_digests # docker build, only where images are built

    dynamic "environment_variable" {
      for_each = merge({
        AWS_ACCOUNT_ID      = local.account_id
        ECR_INVENTORY_URI   = var.ecr_repository_urls["inventory"]
        ECR_PRICING_URI     = var.ecr_repository_urls["pricing"]
        INVENTORY_ROLE_ARN  = var.inventory_role_arn
        PRICING_ROLE_ARN    = var.pricing_role_arn
        INVENTORY_QUEUE_URL = var.inventory_queue_url
        PRICE_QUEUE_URL     = var.price_queue_url
        DEPLOY_ENV          = var.deploy_env
        EKS_CLUSTER_NAME    = var.cluster_name
        PRICING_CAPACITY    = var.pricing_capacity
        PRICING_SCALING     = var.keda_enabled ? "keda" : "fixed"
        PRICING_POLICY      = local.pricing_policy
      }, local.ingress_variables)
      content {
        name  = environment_variable.key
        value = environment_variable.value
      }
    }
  }

  logs_config {
    cloudwatch_logs {
      group_name = aws_cloudwatch_log_group.build.name
    }
  }

  tags = var.tags
}

resource "aws_codepipeline" "this" {
  name           = var.name
  pipeline_type  = "V2"
  role_arn       = aws_iam_role.codepipeline.arn
  execution_mode = "QUEUED"
  # A new pipeline starts at once; its deploy action must find the group
  # with a retention, not create one without.
  depends_on = [aws_cloudwatch_log_group.deploy]

  artifact_store {
    location = aws_s3_bucket.artifacts.bucket
    type     = "S3"
  }

  stage {
    name = "Source"
    action {
      name             = "Source"
      category         = "Source"
      owner            = "AWS"
      provider         = "CodeStarSourceConnection"
      version          = "1"
      output_artifacts = ["source"]
      configuration = {
        ConnectionArn    = aws_codeconnections_connection.this.arn
        FullRepositoryId = var.repository
        BranchName       = var.branch
      }
    }
  }

  stage {
    name = "Build"
    action {
      name             = "BuildTestRender"
      category         = "Build"
      owner            = "AWS"
      provider         = "CodeBuild"
      version          = "1"
      input_artifacts  = ["source"]
      output_artifacts = ["manifests"]
      configuration = {
        ProjectName = aws_codebuild_project.this.name
      }
    }
  }

  dynamic "stage" {
    for_each = var.manual_approval ? [1] : []
    content {
      name = "Approve"
      action {
        name     = "ApproveDeploy"
        category = "Approval"
        owner    = "AWS"
        provider = "Manual"
        version  = "1"
        configuration = {
          CustomData = "Deploy the built release to ${var.deploy_env} (${var.cluster_name})?"
        }
      }
    }
  }

  stage {
    name = "Deploy"
    action {
      name            = "ApplyManifests"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "EKS"
      version         = "1"
      input_artifacts = ["manifests"]
      # Subnets and SecurityGroupIds put the action's compute in the VPC: the
      # only route to a private endpoint, and the allowed source for a public
      # one limited to given CIDRs. The security group is the eks module's
      # deploy group, which the cluster admits on 443.
      configuration = {
        ClusterName      = var.cluster_name
        ManifestFiles    = "manifests.yaml"
        Namespace        = var.namespace
        Subnets          = join(",", var.deploy_subnet_ids)
        SecurityGroupIds = var.deploy_security_group_id
      }
    }
  }

  # Releases: a pushed tag matching release_tags (prod). Otherwise every
  # push to the branch (dev).
  trigger {
    provider_type = "CodeStarSourceConnection"
    git_configuration {
      source_action_name = "Source"
      push {
        dynamic "tags" {
          for_each = length(var.release_tags) > 0 ? [1] : []
          content {
            includes = var.release_tags
          }
        }
        dynamic "branches" {
          for_each = length(var.release_tags) > 0 ? [] : [1]
          content {
            includes = [var.branch]
          }
        }
      }
    }
  }

  tags = var.tags
}
