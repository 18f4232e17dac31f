# Object Storage for media (room photos) through the S3-compatible API, and the image repository.

data "oci_objectstorage_namespace" "main" {
  compartment_id = var.tenancy_ocid
}

resource "oci_objectstorage_bucket" "media" {
  compartment_id        = var.compartment_ocid
  namespace             = data.oci_objectstorage_namespace.main.namespace
  name                  = "${var.name_prefix}-media"
  access_type           = "NoPublicAccess"
  storage_tier          = "Standard"
  versioning            = "Enabled"
  object_events_enabled = true
  kms_key_id            = oci_kms_key.main.id
}

# The S3-compatible API authenticates with a Customer Secret Key of an IAM user (keep that user's
# policy to the media bucket only).
resource "oci_identity_customer_secret_key" "media" {
  display_name = "${var.name_prefix}-media-s3"
  user_id      = var.media_user_ocid
}

resource "oci_artifacts_container_repository" "app" {
  compartment_id = var.compartment_ocid
  display_name   = "booking-platform"
  is_immutable   = true
  is_public      = false
}
