terraform {
  # No provider: the module only computes where the caller's provider connects.
  required_version = ">= 1.5.0"
}
