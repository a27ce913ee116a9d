resource "aws_ecr_repository" "this" {
  for_each = toset(var.repositories)

  name = "${var.name_prefix}${each.key}"
  # Tags are commits: a tag never moves, so a deploy is reproducible.
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  tags = var.tags
}

locals {
  # By count where this registry's own builds are the newest (dev deploys the
  # latest); by age where another environment's builds arrive by
  # replication (prod), so the release prod runs outlives any number of them.
  # Each rule is encoded on its own: a conditional between the two objects
  # would unify them into a map of strings, and ECR wants countNumber a number.
  expiry_rule = var.expire_after_days == null ? jsonencode({
    rulePriority = 1
    description  = "Keep the last ${var.keep_images} images"
    selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = var.keep_images }
    action       = { type = "expire" }
    }) : jsonencode({
    rulePriority = 1
    description  = "Expire images ${var.expire_after_days} days after they arrive"
    selection    = { tagStatus = "any", countType = "sinceImagePushed", countUnit = "days", countNumber = var.expire_after_days }
    action       = { type = "expire" }
  })
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy     = jsonencode({ rules = [jsondecode(local.expiry_rule)] })

  lifecycle {
    precondition {
      condition     = length(var.replication_source_accounts) == 0 || var.expire_after_days != null
      error_message = "replication_source_accounts is set, so this registry receives another environment's builds: set expire_after_days (images expire by age), or the keep_images count would expire the image this environment runs once that many newer builds arrived."
    }
  }
}
