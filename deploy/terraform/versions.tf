# Terraform for the OCI resources booking_platform runs on (Resource Manager stack or plain Terraform).
# No state or credentials live in this repository: Resource Manager keeps the state, or configure a
# backend on the command line (`terraform init -backend-config=...`); the oci provider authenticates
# from ~/.oci/config, an instance/resource principal, or Resource Manager itself.
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    oci = {
      source  = "oracle/oci"
      version = ">= 6.20.0, < 8.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6.0, < 4.0.0"
    }
  }
}

provider "oci" {
  region = var.region
}
