output "cluster_id" {
  description = "OKE cluster; `oci ce cluster create-kubeconfig --cluster-id <this>` writes a kubeconfig."
  value       = oci_containerengine_cluster.main.id
}

output "vault_id" {
  description = "Set in deploy/k8s/components/site/vault.yaml (the External Secrets SecretStore)."
  value       = oci_kms_vault.main.id
}

output "adb_id" {
  description = "Autonomous Database; its connection strings go to the bp-oracle-dsn secret."
  value       = oci_database_autonomous_database.main.id
}

output "adb_connection_strings" {
  description = "TLS connect strings (use the _high / _tp profile as ORACLE_DSN)."
  value       = oci_database_autonomous_database.main.connection_strings
}

output "redis_primary_fqdn" {
  description = "OCI Cache primary endpoint (rediss://<this>:6379)."
  value       = oci_redis_redis_cluster.main.primary_fqdn
}

output "kafka_bootstrap_servers" {
  description = "OCI Streaming Kafka endpoint (KAFKA_BOOTSTRAP_SERVERS)."
  value       = oci_streaming_stream_pool.main.kafka_settings[0].bootstrap_servers
}

output "stream_pool_id" {
  description = "Stream pool OCID: KAFKA_USERNAME is <tenancy name>/<user>/<this>."
  value       = oci_streaming_stream_pool.main.id
}

output "gateway_hostname" {
  description = "API Gateway host name: point the public DNS name here."
  value       = oci_apigateway_gateway.main.hostname
}

output "media_bucket" {
  description = "Media bucket and its S3-compatible endpoint."
  value       = { bucket = oci_objectstorage_bucket.media.name, endpoint = local.object_storage_s3_endpoint }
}

output "image_repository" {
  description = "OCIR repository for the image (<region key>.ocir.io/<namespace>/booking-platform)."
  value       = "${data.oci_objectstorage_namespace.main.namespace}/${oci_artifacts_container_repository.app.display_name}"
}

output "ops_topic_id" {
  description = "Notifications topic for alarms and pipeline notifications."
  value       = oci_ons_notification_topic.ops.id
}

output "app_log_id" {
  description = "Custom log for the application's container logs."
  value       = oci_logging_log.app.id
}
