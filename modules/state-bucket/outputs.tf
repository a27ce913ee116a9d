output "bucket" {
  description = "The guarded state bucket."
  value       = aws_s3_bucket_policy.this.bucket
}
