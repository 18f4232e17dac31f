# One VCN: a public subnet for API Gateway and the load balancer, private subnets for the Kubernetes
# API endpoint, the worker nodes and the data services. Private subnets reach the internet through
# NAT and Oracle services through the service gateway.

data "oci_core_services" "all" {
  filter {
    name   = "name"
    values = ["All .* Services In Oracle Services Network"]
    regex  = true
  }
}

resource "oci_core_vcn" "main" {
  compartment_id = var.compartment_ocid
  cidr_blocks    = [var.vcn_cidr]
  display_name   = "${var.name_prefix}-vcn"
  dns_label      = "bookings"
}

resource "oci_core_internet_gateway" "main" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-igw"
  enabled        = true
}

resource "oci_core_nat_gateway" "main" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-nat"
}

resource "oci_core_service_gateway" "main" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-sgw"
  services {
    service_id = data.oci_core_services.all.services[0].id
  }
}

resource "oci_core_route_table" "public" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-public"
  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_internet_gateway.main.id
  }
}

resource "oci_core_route_table" "private" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-private"
  route_rules {
    destination       = "0.0.0.0/0"
    destination_type  = "CIDR_BLOCK"
    network_entity_id = oci_core_nat_gateway.main.id
  }
  route_rules {
    destination       = data.oci_core_services.all.services[0].cidr_block
    destination_type  = "SERVICE_CIDR_BLOCK"
    network_entity_id = oci_core_service_gateway.main.id
  }
}

# Public subnet: HTTPS in from anywhere (API Gateway, WAF-protected load balancer), nothing else.
resource "oci_core_security_list" "public" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-public"
  ingress_security_rules {
    protocol = "6"
    source   = "0.0.0.0/0"
    tcp_options {
      min = 443
      max = 443
    }
  }
  egress_security_rules {
    protocol    = "6"
    destination = var.vcn_cidr
  }
}

# Private subnets: traffic from inside the VCN only; out to anywhere (NAT) for OCI services and mail.
resource "oci_core_security_list" "private" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-private"
  ingress_security_rules {
    protocol = "all"
    source   = var.vcn_cidr
  }
  ingress_security_rules {
    protocol = "6"
    source   = var.admin_cidr
    tcp_options {
      min = 6443
      max = 6443
    }
  }
  egress_security_rules {
    protocol    = "all"
    destination = "0.0.0.0/0"
  }
}

resource "oci_core_subnet" "public" {
  compartment_id    = var.compartment_ocid
  vcn_id            = oci_core_vcn.main.id
  cidr_block        = var.subnet_cidrs["public"]
  display_name      = "${var.name_prefix}-public"
  dns_label         = "public"
  route_table_id    = oci_core_route_table.public.id
  security_list_ids = [oci_core_security_list.public.id]
}

resource "oci_core_subnet" "k8s_api" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.main.id
  cidr_block                 = var.subnet_cidrs["k8s_api"]
  display_name               = "${var.name_prefix}-k8s-api"
  dns_label                  = "k8sapi"
  prohibit_public_ip_on_vnic = true
  route_table_id             = oci_core_route_table.private.id
  security_list_ids          = [oci_core_security_list.private.id]
}

resource "oci_core_subnet" "nodes" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.main.id
  cidr_block                 = var.subnet_cidrs["nodes"]
  display_name               = "${var.name_prefix}-nodes"
  dns_label                  = "nodes"
  prohibit_public_ip_on_vnic = true
  route_table_id             = oci_core_route_table.private.id
  security_list_ids          = [oci_core_security_list.private.id]
}

resource "oci_core_subnet" "data" {
  compartment_id             = var.compartment_ocid
  vcn_id                     = oci_core_vcn.main.id
  cidr_block                 = var.subnet_cidrs["data"]
  display_name               = "${var.name_prefix}-data"
  dns_label                  = "data"
  prohibit_public_ip_on_vnic = true
  route_table_id             = oci_core_route_table.private.id
  security_list_ids          = [oci_core_security_list.private.id]
}

# Network security groups: each service accepts only who needs it, on its own ports. Rules are
# stateless, so each ingress rule has its egress twin for the replies (to the client's ephemeral ports).
locals {
  nsg_ingress = {
    "data-1521"    = { nsg = "data", source = var.subnet_cidrs["nodes"], port = 1521 }
    "data-1522"    = { nsg = "data", source = var.subnet_cidrs["nodes"], port = 1522 }
    "data-6379"    = { nsg = "data", source = var.subnet_cidrs["nodes"], port = 6379 }
    "data-9092"    = { nsg = "data", source = var.subnet_cidrs["nodes"], port = 9092 }
    "api-admin"    = { nsg = "k8s_api", source = var.admin_cidr, port = 6443 }
    "api-nodes"    = { nsg = "k8s_api", source = var.subnet_cidrs["nodes"], port = 6443 }
    "api-kubelets" = { nsg = "k8s_api", source = var.subnet_cidrs["nodes"], port = 12250 }
  }
}

resource "oci_core_network_security_group" "data" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-data"
}

resource "oci_core_network_security_group" "k8s_api" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_core_vcn.main.id
  display_name   = "${var.name_prefix}-k8s-api"
}

resource "oci_core_network_security_group_security_rule" "ingress" {
  for_each                  = local.nsg_ingress
  network_security_group_id = each.value.nsg == "data" ? oci_core_network_security_group.data.id : oci_core_network_security_group.k8s_api.id
  direction                 = "INGRESS"
  protocol                  = "6"
  source_type               = "CIDR_BLOCK"
  source                    = each.value.source
  stateless                 = true
  tcp_options {
    destination_port_range {
      min = each.value.port
      max = each.value.port
    }
  }
}

resource "oci_core_network_security_group_security_rule" "reply" {
  for_each                  = local.nsg_ingress
  network_security_group_id = each.value.nsg == "data" ? oci_core_network_security_group.data.id : oci_core_network_security_group.k8s_api.id
  direction                 = "EGRESS"
  protocol                  = "6"
  destination_type          = "CIDR_BLOCK"
  destination               = each.value.source
  stateless                 = true
  tcp_options {
    source_port_range {
      min = each.value.port
      max = each.value.port
    }
    destination_port_range {
      min = 32768
      max = 65535
    }
  }
}
