# Autonomous Database (serverless, private endpoint, one-way TLS) and OCI Cache (Redis, TLS only).

resource "random_password" "adb_admin" {
  length           = 24
  min_upper        = 2
  min_lower        = 2
  min_numeric      = 2
  min_special      = 2
  override_special = "#_"
}

resource "oci_database_autonomous_database" "main" {
  compartment_id                      = var.compartment_ocid
  db_name                             = var.adb_db_name
  display_name                        = "${var.name_prefix}-adb"
  db_workload                         = "OLTP"
  compute_model                       = "ECPU"
  compute_count                       = var.adb_ecpu_count
  data_storage_size_in_tbs            = var.adb_storage_tbs
  admin_password                      = random_password.adb_admin.result
  is_auto_scaling_enabled             = true
  is_auto_scaling_for_storage_enabled = true
  is_mtls_connection_required         = false
  subnet_id                           = oci_core_subnet.data.id
  nsg_ids                             = [oci_core_network_security_group.data.id]
  private_endpoint_label              = "bookingsadb"
  kms_key_id                          = oci_kms_key.main.id
  vault_id                            = oci_kms_vault.main.id
  backup_retention_period_in_days     = 30
  license_model                       = "LICENSE_INCLUDED"
}

resource "oci_redis_redis_cluster" "main" {
  compartment_id     = var.compartment_ocid
  display_name       = "${var.name_prefix}-cache"
  node_count         = var.redis_node_count
  node_memory_in_gbs = var.redis_memory_gbs
  software_version   = "REDIS_7_0"
  subnet_id          = oci_core_subnet.data.id
  nsg_ids            = [oci_core_network_security_group.data.id]
}
