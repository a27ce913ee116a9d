# The build and pipeline roles, and the pipeline role's access to the cluster.

data "aws_iam_policy_document" "assume" {
  for_each = { codebuild = "codebuild.amazonaws.com", codepipeline = "codepipeline.amazonaws.com" }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [each.value]
    }
  }
}

resource "aws_iam_role" "codebuild" {
  name               = "${var.name}-codebuild"
  assume_role_policy = data.aws_iam_policy_document.assume["codebuild"].json
  tags               = var.tags
}

data "aws_iam_policy_document" "codebuild" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.arn}:logs:${local.region}:${local.account_id}:log-group:${local.log_groups.build}*"]
  }

  statement {
    sid       = "Artifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }

  # The S3 build cache (npm) lives in the artifact bucket under build-cache/.
  statement {
    sid       = "CacheBucket"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation"]
    resources = [aws_s3_bucket.artifacts.arn]
  }

  # The one action ECR authorizes only on "*": it issues the login token.
  # Login and push only where images are built: a promoting project (prod)
  # pushes nothing, it only reads digests.
  dynamic "statement" {
    for_each = var.promote_from_digests ? [] : [1]
    content {
      sid       = "EcrLogin"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.promote_from_digests ? [] : [1]
    content {
      sid = "EcrPush"
      actions = [
        "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
      ]
      resources = values(var.ecr_repository_arns)
    }
  }

  # A retry of the same commit finds its images and skips build and push
  # (tags are immutable): buildspec.yml asks with ecr:DescribeImages.
  statement {
    sid       = "EcrFindImage"
    actions   = ["ecr:DescribeImages"]
    resources = values(var.ecr_repository_arns)
  }
}

resource "aws_iam_role_policy" "codebuild" {
  name   = "build"
  role   = aws_iam_role.codebuild.id
  policy = data.aws_iam_policy_document.codebuild.json
}

resource "aws_iam_role" "codepipeline" {
  name               = "${var.name}-codepipeline"
  assume_role_policy = data.aws_iam_policy_document.assume["codepipeline"].json
  tags               = var.tags
}

data "aws_iam_policy_document" "codepipeline" {
  statement {
    sid       = "Artifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetBucketVersioning", "s3:PutObject", "s3:PutObjectAcl", "s3:GetBucketLocation", "s3:ListBucket"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]
  }

  statement {
    sid       = "Source"
    actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
    resources = [aws_codeconnections_connection.this.arn]
  }

  statement {
    sid       = "Build"
    actions   = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"]
    resources = [aws_codebuild_project.this.arn]
  }

  # The EKS deploy action runs kubectl in CodePipeline-managed compute as
  # this role: the permissions of the action reference's "Service role
  # policy permissions".
  statement {
    sid       = "EksDeploy"
    actions   = ["eks:DescribeCluster"]
    resources = [var.cluster_arn]
  }

  # Describe calls authorize only on "*".
  statement {
    sid       = "EksDeployVpcRead"
    actions   = ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"]
    resources = ["*"]
  }

  # The action's compute joins the cluster's VPC (Subnets, SecurityGroupIds
  # below) through network interfaces it creates and deletes: only in the
  # deploy subnets.
  statement {
    sid       = "EksDeployEni"
    actions   = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"]
    resources = ["*"]

    condition {
      test     = "StringEqualsIfExists"
      variable = "ec2:Subnet"
      values   = local.deploy_subnet_arns
    }
  }

  statement {
    sid       = "EksDeployEniPermission"
    actions   = ["ec2:CreateNetworkInterfacePermission"]
    resources = ["${local.arn}:ec2:${local.region}:${local.account_id}:network-interface/*"]

    condition {
      test     = "StringEquals"
      variable = "ec2:Subnet"
      values   = local.deploy_subnet_arns
    }

    # The action runs on CodePipeline-managed CodeBuild compute; which of the
    # two services asks for the permission is not stated where the action's
    # service role is documented, so either may, and only in these subnets.
    condition {
      test     = "StringEquals"
      variable = "ec2:AuthorizedService"
      values   = ["codebuild.amazonaws.com", "codepipeline.amazonaws.com"]
    }
  }

  # CodePipeline-managed compute logs to /aws/codepipeline/<pipeline name>
  # (logs.tf creates that group with its retention).
  statement {
    sid     = "EksDeployLogs"
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [
      "${local.arn}:logs:${local.region}:${local.account_id}:log-group:${local.log_groups.deploy}",
      "${local.arn}:logs:${local.region}:${local.account_id}:log-group:${local.log_groups.deploy}:*",
    ]
  }
}

resource "aws_iam_role_policy" "codepipeline" {
  name   = "pipeline"
  role   = aws_iam_role.codepipeline.id
  policy = data.aws_iam_policy_document.codepipeline.json
}

# The EKS deploy action applies manifests.yaml as the pipeline role, with
# AmazonEKSEditPolicy in the application namespace only: it can create and
# change the namespaced objects the render step writes, nothing cluster-
# scoped, nothing in another namespace. The Namespace and its Pod Security
# labels are applied once by an admin (docs/deploy-aws.md, bootstrap), so a
# compromised build can neither relax Pod Security nor reach kube-system.
# Created here (not in the eks module) so that the eks unit does not depend
# on the pipeline unit: the graph stays a DAG.
resource "aws_eks_access_entry" "deploy" {
  cluster_name  = var.cluster_name
  principal_arn = aws_iam_role.codepipeline.arn
  type          = "STANDARD"
  # The custom resources it renders (ExternalSecret, KEDA) are granted to
  # this group by a namespaced Role of the bootstrap (manifests/bootstrap).
  kubernetes_groups = [var.deployer_group]
  tags              = var.tags
}

resource "aws_eks_access_policy_association" "deploy" {
  cluster_name  = var.cluster_name
  principal_arn = aws_iam_role.codepipeline.arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"

  access_scope {
    type       = "namespace"
    namespaces = [var.namespace]
  }

  depends_on = [aws_eks_access_entry.deploy]
}
