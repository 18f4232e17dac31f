# WAF policy: OWASP Top 10 protection capabilities (OCI's collaborative rules for SQL injection, XSS,
# local/remote file inclusion, remote code execution) and a per-IP rate limit, attached to the
# ingress-nginx load balancer once Kubernetes has created it (var.waf_load_balancer_id).

resource "oci_waf_web_app_firewall_policy" "main" {
  compartment_id = var.compartment_ocid
  display_name   = "${var.name_prefix}-waf"

  actions {
    name = "allow"
    type = "ALLOW"
  }
  actions {
    name = "block"
    type = "RETURN_HTTP_RESPONSE"
    code = 403
    body {
      type = "STATIC_TEXT"
      text = "{\"code\": \"blocked\", \"detail\": \"Request blocked.\"}"
    }
    headers {
      name  = "Content-Type"
      value = "application/json"
    }
  }
  actions {
    name = "throttle"
    type = "RETURN_HTTP_RESPONSE"
    code = 429
    body {
      type = "STATIC_TEXT"
      text = "{\"code\": \"throttled\", \"detail\": \"Too many requests.\"}"
    }
    headers {
      name  = "Content-Type"
      value = "application/json"
    }
  }

  request_protection {
    rules {
      name                       = "owasp-top-10"
      type                       = "PROTECTION"
      action_name                = "block"
      is_body_inspection_enabled = true
      dynamic "protection_capabilities" {
        for_each = toset(["9300000", "9310000", "9320000", "9410000", "9420000"])
        content {
          key     = protection_capabilities.value
          version = 1
        }
      }
    }
  }

  request_rate_limiting {
    rules {
      name        = "per-client-ip"
      type        = "REQUEST_RATE_LIMITING"
      action_name = "throttle"
      configurations {
        period_in_seconds          = 60
        requests_limit             = var.waf_requests_per_minute
        action_duration_in_seconds = 60
      }
    }
  }
}

resource "oci_waf_web_app_firewall" "main" {
  count                      = var.waf_load_balancer_id == "" ? 0 : 1
  compartment_id             = var.compartment_ocid
  display_name               = "${var.name_prefix}-waf"
  backend_type               = "LOAD_BALANCER"
  load_balancer_id           = var.waf_load_balancer_id
  web_app_firewall_policy_id = oci_waf_web_app_firewall_policy.main.id
}
