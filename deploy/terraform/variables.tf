# Everything site-specific is a variable; terraform.tfvars.example lists a complete set.

variable "tenancy_ocid" {
  description = "Tenancy OCID (dynamic groups, availability domains, Object Storage namespace)."
  type        = string
}

variable "compartment_ocid" {
  description = "Compartment that holds every resource of this stack."
  type        = string
}

variable "region" {
  description = "OCI region identifier, e.g. eu-frankfurt-1."
  type        = string
}

variable "name_prefix" {
  description = "Prefix for display names (lower case, short)."
  type        = string
  default     = "bp"
}

variable "vcn_cidr" {
  description = "VCN address space."
  type        = string
  default     = "10.20.0.0/16"
}

variable "subnet_cidrs" {
  description = "Subnets: public (API Gateway, load balancer), k8s_api (cluster endpoint), nodes (workers), data (database, cache, streaming)."
  type        = map(string)
  default = {
    public  = "10.20.0.0/24"
    k8s_api = "10.20.1.0/28"
    nodes   = "10.20.8.0/21"
    data    = "10.20.16.0/24"
  }
}

variable "admin_cidr" {
  description = "The only network that may reach the Kubernetes API endpoint (a bastion or VPN range)."
  type        = string
}

variable "kubernetes_version" {
  description = "OKE Kubernetes version, e.g. v1.32.1."
  type        = string
  default     = "v1.32.1"
}

variable "node_image_id" {
  description = "OKE worker node image OCID for the region and Kubernetes version (see `oci ce node-pool-options get`)."
  type        = string
}

variable "node_shape" {
  description = "Worker node shape."
  type        = string
  default     = "VM.Standard.E5.Flex"
}

variable "node_ocpus" {
  description = "OCPUs per worker node."
  type        = number
  default     = 2
}

variable "node_memory_gbs" {
  description = "Memory per worker node (GB)."
  type        = number
  default     = 16
}

variable "node_count" {
  description = "Worker nodes in the pool (spread over the availability domains)."
  type        = number
  default     = 3
}

variable "adb_db_name" {
  description = "Autonomous Database name (letters and digits, at most 14)."
  type        = string
  default     = "bookings"
}

variable "adb_ecpu_count" {
  description = "Autonomous Database ECPUs (auto scaling goes up to three times this)."
  type        = number
  default     = 2
}

variable "adb_storage_tbs" {
  description = "Autonomous Database storage (TB)."
  type        = number
  default     = 1
}

variable "redis_node_count" {
  description = "OCI Cache (Redis) nodes: one primary and replicas."
  type        = number
  default     = 3
}

variable "redis_memory_gbs" {
  description = "Memory per OCI Cache node (GB)."
  type        = number
  default     = 4
}

variable "stream_partitions" {
  description = "Partitions of the booking-events stream (events of one booking share a partition by key)."
  type        = number
  default     = 3
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to the operations Notifications topic."
  type        = list(string)
  default     = []
}

variable "backend_url" {
  description = "Where API Gateway forwards to: the HTTPS address of the ingress-nginx load balancer (e.g. https://ingress.internal.example.com)."
  type        = string
}

variable "api_certificate_id" {
  description = "OCI Certificates certificate OCID for the API Gateway's public host name."
  type        = string
}

variable "partner_authorizer_function_id" {
  description = "OCI Functions function that validates partner API keys for /api/v1 (the gateway's authentication policy)."
  type        = string
}

variable "api_rate_limit_rps" {
  description = "API Gateway rate limit per client IP (requests per second)."
  type        = number
  default     = 20
}

variable "waf_load_balancer_id" {
  description = "OCID of the ingress-nginx load balancer the WAF protects (created by Kubernetes; empty: policy only)."
  type        = string
  default     = ""
}

variable "waf_requests_per_minute" {
  description = "WAF request rate limit per client IP (requests per minute)."
  type        = number
  default     = 600
}

variable "media_user_ocid" {
  description = "IAM user that owns the Customer Secret Key the app uses for the media bucket (S3-compatible API)."
  type        = string
}

variable "app_secrets" {
  description = "Operator-supplied secrets stored in the vault, by vault secret name (e.g. bp-email-url, bp-sms-api-key, bp-sentry-dsn, bp-database-url, bp-kafka-password). Pass via TF_VAR_app_secrets, never a file in git."
  type        = map(string)
  sensitive   = true
  default     = {}
}

variable "log_retention_days" {
  description = "Retention of service logs (days)."
  type        = number
  default     = 90
}
