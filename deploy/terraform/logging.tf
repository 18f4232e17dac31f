# Logging: API Gateway access and execution logs and the WAF log in one log group. Container logs
# (the app's JSON lines on stdout) reach OCI Logging through OKE's logging add-on / the unified
# monitoring agent configured on the node pool's dynamic group.

resource "oci_logging_log_group" "main" {
  compartment_id = var.compartment_ocid
  display_name   = "${var.name_prefix}-logs"
}

resource "oci_logging_log" "gateway" {
  for_each           = toset(["access", "execution"])
  display_name       = "${var.name_prefix}-gateway-${each.key}"
  log_group_id       = oci_logging_log_group.main.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days
  configuration {
    compartment_id = var.compartment_ocid
    source {
      category    = each.key
      resource    = oci_apigateway_deployment.main.id
      service     = "apigateway"
      source_type = "OCISERVICE"
    }
  }
}

resource "oci_logging_log" "waf" {
  count              = var.waf_load_balancer_id == "" ? 0 : 1
  display_name       = "${var.name_prefix}-waf"
  log_group_id       = oci_logging_log_group.main.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days
  configuration {
    compartment_id = var.compartment_ocid
    source {
      category    = "all"
      resource    = oci_waf_web_app_firewall.main[0].id
      service     = "waf"
      source_type = "OCISERVICE"
    }
  }
}

resource "oci_logging_log" "app" {
  display_name       = "${var.name_prefix}-app"
  log_group_id       = oci_logging_log_group.main.id
  log_type           = "CUSTOM"
  is_enabled         = true
  retention_duration = var.log_retention_days
}
