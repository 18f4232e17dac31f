# Who may read what: the worker nodes (External Secrets Operator, instance principal) read the app's
# secrets; the DevOps build and deploy pipelines push images, read Vault variables and deploy to OKE.

resource "oci_identity_dynamic_group" "nodes" {
  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-oke-nodes"
  description    = "booking_platform OKE worker nodes"
  matching_rule  = "ALL {instance.compartment.id = '${var.compartment_ocid}'}"
}

resource "oci_identity_dynamic_group" "devops" {
  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-devops"
  description    = "booking_platform DevOps build and deployment pipelines"
  matching_rule  = "ALL {resource.compartment.id = '${var.compartment_ocid}', ANY {resource.type = 'devopsbuildpipeline', resource.type = 'devopsdeploypipeline', resource.type = 'devopsrepository'}}"
}

resource "oci_identity_policy" "app" {
  compartment_id = var.compartment_ocid
  name           = "${var.name_prefix}-app"
  description    = "booking_platform: nodes read the vault's secrets; pipelines build, push and deploy"
  statements = [
    "Allow dynamic-group ${oci_identity_dynamic_group.nodes.name} to read secret-bundles in compartment id ${var.compartment_ocid} where target.vault.id = '${oci_kms_vault.main.id}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops.name} to read secret-bundles in compartment id ${var.compartment_ocid} where target.vault.id = '${oci_kms_vault.main.id}'",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops.name} to manage repos in compartment id ${var.compartment_ocid}",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops.name} to manage devops-family in compartment id ${var.compartment_ocid}",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops.name} to use clusters in compartment id ${var.compartment_ocid}",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops.name} to use ons-topics in compartment id ${var.compartment_ocid}",
    "Allow dynamic-group ${oci_identity_dynamic_group.devops.name} to read all-artifacts in compartment id ${var.compartment_ocid}",
  ]
}
