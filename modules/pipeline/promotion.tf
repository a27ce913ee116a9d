# Build once, promote by digest. Dev's project runs buildspec.yml: npm test,
# docker build, push to ECR (replicated to prod's registry, modules/ecr). A
# promoting project (prod) runs buildspec-promote.yml instead: no docker, no
# privileged mode, no push permission; it looks up the digests dev pushed for
# the release's commit and renders the manifests by digest.

locals {
  buildspec = var.promote_from_digests ? "buildspec-promote.yml" : "buildspec.yml"
}
