# OKE: an enhanced cluster with a private API endpoint, and one node pool spread over the
# availability domains. Kubernetes secrets and boot volumes are encrypted with the vault key.

data "oci_identity_availability_domains" "main" {
  compartment_id = var.tenancy_ocid
}

resource "oci_containerengine_cluster" "main" {
  compartment_id     = var.compartment_ocid
  name               = "${var.name_prefix}-oke"
  kubernetes_version = var.kubernetes_version
  vcn_id             = oci_core_vcn.main.id
  type               = "ENHANCED_CLUSTER"
  kms_key_id         = oci_kms_key.main.id
  endpoint_config {
    subnet_id            = oci_core_subnet.k8s_api.id
    is_public_ip_enabled = false
    nsg_ids              = [oci_core_network_security_group.k8s_api.id]
  }
  cluster_pod_network_options {
    cni_type = "FLANNEL_OVERLAY"
  }
  options {
    service_lb_subnet_ids = [oci_core_subnet.public.id]
    kubernetes_network_config {
      pods_cidr     = "10.244.0.0/16"
      services_cidr = "10.96.0.0/16"
    }
    admission_controller_options {
      is_pod_security_policy_enabled = false
    }
  }
}

resource "oci_containerengine_node_pool" "main" {
  cluster_id         = oci_containerengine_cluster.main.id
  compartment_id     = var.compartment_ocid
  name               = "${var.name_prefix}-pool"
  kubernetes_version = var.kubernetes_version
  node_shape         = var.node_shape
  node_shape_config {
    ocpus         = var.node_ocpus
    memory_in_gbs = var.node_memory_gbs
  }
  node_source_details {
    source_type             = "IMAGE"
    image_id                = var.node_image_id
    boot_volume_size_in_gbs = 100
  }
  node_config_details {
    size                                = var.node_count
    is_pv_encryption_in_transit_enabled = true
    kms_key_id                          = oci_kms_key.main.id
    dynamic "placement_configs" {
      for_each = data.oci_identity_availability_domains.main.availability_domains
      content {
        availability_domain = placement_configs.value.name
        subnet_id           = oci_core_subnet.nodes.id
      }
    }
  }
  node_eviction_node_pool_settings {
    eviction_grace_duration = "PT30M"
  }
  initial_node_labels {
    key   = "booking-platform/pool"
    value = "app"
  }
}
