# OCI Vault: one HSM key encrypts the database, bucket, stream, cluster secrets and boot volumes; the
# application's secrets live here and reach the pods through the External Secrets Operator.

resource "oci_kms_vault" "main" {
  compartment_id = var.compartment_ocid
  display_name   = "${var.name_prefix}-vault"
  vault_type     = "DEFAULT"
}

resource "oci_kms_key" "main" {
  compartment_id      = var.compartment_ocid
  display_name        = "${var.name_prefix}-key"
  management_endpoint = oci_kms_vault.main.management_endpoint
  protection_mode     = "HSM"
  key_shape {
    algorithm = "AES"
    length    = 32
  }
}

resource "random_password" "django_secret_key" {
  length  = 64
  special = false
}

locals {
  object_storage_s3_endpoint = "https://${data.oci_objectstorage_namespace.main.namespace}.compat.objectstorage.${var.region}.oraclecloud.com"
  # Secrets this stack can produce itself; the rest come from var.app_secrets.
  generated_secret_names = toset([
    "bp-django-secret-key",
    "bp-adb-admin-password",
    "bp-redis-url",
    "bp-celery-broker-url",
    "bp-kafka-bootstrap-servers",
    "bp-media-s3-bucket",
    "bp-media-s3-endpoint-url",
    "bp-media-s3-access-key-id",
    "bp-media-s3-secret-access-key",
  ])
  generated_secrets = {
    "bp-django-secret-key"          = random_password.django_secret_key.result
    "bp-adb-admin-password"         = random_password.adb_admin.result
    "bp-redis-url"                  = "rediss://${oci_redis_redis_cluster.main.primary_fqdn}:6379/0"
    "bp-celery-broker-url"          = "rediss://${oci_redis_redis_cluster.main.primary_fqdn}:6379/1"
    "bp-kafka-bootstrap-servers"    = oci_streaming_stream_pool.main.kafka_settings[0].bootstrap_servers
    "bp-media-s3-bucket"            = oci_objectstorage_bucket.media.name
    "bp-media-s3-endpoint-url"      = local.object_storage_s3_endpoint
    "bp-media-s3-access-key-id"     = oci_identity_customer_secret_key.media.id
    "bp-media-s3-secret-access-key" = oci_identity_customer_secret_key.media.key
  }
}

resource "oci_vault_secret" "generated" {
  for_each       = local.generated_secret_names
  compartment_id = var.compartment_ocid
  vault_id       = oci_kms_vault.main.id
  key_id         = oci_kms_key.main.id
  secret_name    = each.key
  secret_content {
    content_type = "BASE64"
    content      = base64encode(local.generated_secrets[each.key])
  }
}

resource "oci_vault_secret" "operator" {
  for_each       = nonsensitive(toset(keys(var.app_secrets)))
  compartment_id = var.compartment_ocid
  vault_id       = oci_kms_vault.main.id
  key_id         = oci_kms_key.main.id
  secret_name    = each.key
  secret_content {
    content_type = "BASE64"
    content      = base64encode(var.app_secrets[each.key])
  }
}
