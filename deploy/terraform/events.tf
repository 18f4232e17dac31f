# Streaming (booking events for analytics, Kafka-compatible) and Notifications (operations alerts).

resource "oci_streaming_stream_pool" "main" {
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-streams"
  kafka_settings {
    auto_create_topics_enable = false
    log_retention_hours       = 168
    num_partitions            = var.stream_partitions
  }
  custom_encryption_key {
    kms_key_id = oci_kms_key.main.id
  }
  private_endpoint_settings {
    subnet_id = oci_core_subnet.data.id
    nsg_ids   = [oci_core_network_security_group.data.id]
  }
}

resource "oci_streaming_stream" "booking_events" {
  name               = "booking-events"
  partitions         = var.stream_partitions
  retention_in_hours = 168
  stream_pool_id     = oci_streaming_stream_pool.main.id
}

resource "oci_ons_notification_topic" "ops" {
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-ops-alerts"
  description    = "booking_platform operations: alarms on errors, readiness and inventory drift"
}

resource "oci_ons_subscription" "ops_email" {
  for_each       = toset(var.alert_emails)
  compartment_id = var.compartment_ocid
  topic_id       = oci_ons_notification_topic.ops.id
  protocol       = "EMAIL"
  endpoint       = each.value
}

# Alarm: the gateway answers 5xx (the app or its dependencies are failing).
resource "oci_monitoring_alarm" "api_5xx" {
  compartment_id        = var.compartment_ocid
  metric_compartment_id = var.compartment_ocid
  display_name          = "${var.name_prefix}-api-5xx"
  namespace             = "oci_apigateway"
  query                 = "HttpResponses[5m]{resourceId = \"${oci_apigateway_gateway.main.id}\", httpStatusCategory = \"5xx\"}.sum() > 10"
  severity              = "CRITICAL"
  destinations          = [oci_ons_notification_topic.ops.id]
  is_enabled            = true
  body                  = "More than 10 responses with status 5xx in 5 minutes at the API Gateway."
}
