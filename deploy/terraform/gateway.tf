# API Gateway in front of the web Service (through the ingress-nginx load balancer): rate limiting per
# client IP for every route, and an authentication policy (an OCI Functions authorizer that checks the
# partner API key) on the partner routes under /api/v1. Guest pages stay anonymous.

resource "oci_apigateway_gateway" "main" {
  compartment_id = var.compartment_ocid
  display_name   = "${var.name_prefix}-gateway"
  endpoint_type  = "PUBLIC"
  subnet_id      = oci_core_subnet.public.id
  certificate_id = var.api_certificate_id
}

resource "oci_apigateway_deployment" "main" {
  compartment_id = var.compartment_ocid
  gateway_id     = oci_apigateway_gateway.main.id
  display_name   = "${var.name_prefix}-web"
  path_prefix    = "/"
  specification {
    request_policies {
      rate_limiting {
        rate_in_requests_per_second = var.api_rate_limit_rps
        rate_key                    = "CLIENT_IP"
      }
      authentication {
        type                        = "CUSTOM_AUTHENTICATION"
        function_id                 = var.partner_authorizer_function_id
        is_anonymous_access_allowed = true
        token_header                = "Authorization"
      }
    }
    logging_policies {
      access_log {
        is_enabled = true
      }
      execution_log {
        is_enabled = true
        log_level  = "WARN"
      }
    }
    routes {
      path    = "/api/v1/{path*}"
      methods = ["ANY"]
      backend {
        type                       = "HTTP_BACKEND"
        url                        = "${var.backend_url}/api/v1/$${request.path[path]}"
        connect_timeout_in_seconds = 5
        read_timeout_in_seconds    = 30
        send_timeout_in_seconds    = 30
      }
      request_policies {
        authorization {
          type = "AUTHENTICATION_ONLY"
        }
      }
    }
    routes {
      path    = "/{path*}"
      methods = ["ANY"]
      backend {
        type                       = "HTTP_BACKEND"
        url                        = "${var.backend_url}/$${request.path[path]}"
        connect_timeout_in_seconds = 5
        read_timeout_in_seconds    = 30
        send_timeout_in_seconds    = 30
      }
      request_policies {
        authorization {
          type = "ANONYMOUS"
        }
      }
    }
  }
}
