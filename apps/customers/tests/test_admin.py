"""Customer admin: visible to staff of properties the guest booked; export and erasure need their
own permissions and are written to the staff audit log."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from apps.bookings.tests.factories import BookingFactory
from apps.customers.models import Customer
from apps.customers.tests.factories import CustomerFactory
from booking_platform.staff.models import StaffAuditEntry, StaffMembership

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:customers_customer_changelist"
PROPERTY = 7


def staff(*perms: str) -> User:
    user = User.objects.create_user("desk", "desk@example.com", "pw-not-used", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=perms))
    StaffMembership.objects.create(user=user, property_id=PROPERTY)
    return user


def guest(**fields: object) -> Customer:
    """A guest who booked at the staff user's property (so the staff user may see them)."""
    customer = CustomerFactory(**fields)
    BookingFactory(property_id=PROPERTY, customer_id=customer.pk)
    return customer


def test_export_needs_its_own_permission_and_is_audited(client) -> None:
    customer = guest(email="zora@example.com")
    viewer = staff("view_customer")
    client.force_login(viewer)
    refused = client.post(reverse(CHANGELIST), {"action": "export_data", "_selected_action": [customer.pk]})
    assert refused.status_code == 200
    assert refused["Content-Type"].startswith("text/html")  # the page again, no download
    assert not StaffAuditEntry.objects.exists()

    viewer.user_permissions.add(Permission.objects.get(codename="export_customer"))
    client.force_login(User.objects.get(pk=viewer.pk))
    response = client.post(reverse(CHANGELIST), {"action": "export_data", "_selected_action": [customer.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="customer-{customer.pk}-export.json"'
    assert json.loads(response.content)["customer"]["email"] == "zora@example.com"
    entry = StaffAuditEntry.objects.get()
    assert (entry.username, entry.action, entry.object_ids) == ("desk", "customer_exported", [str(customer.pk)])


def test_guests_of_other_properties_are_invisible(client) -> None:
    mine, theirs = guest(), CustomerFactory()
    BookingFactory(property_id=PROPERTY + 1, customer_id=theirs.pk)
    client.force_login(staff("view_customer", "export_customer"))

    listed = client.get(reverse(CHANGELIST)).context["cl"].result_list
    response = client.post(reverse(CHANGELIST), {"action": "export_data", "_selected_action": [theirs.pk]})
    page = client.get(reverse("admin:customers_customer_change", args=[theirs.pk]))

    assert [c.pk for c in listed] == [mine.pk]
    assert response.status_code == 302  # nothing selected that the user may see: no download
    assert page.status_code == 302  # "doesn't exist", like a missing id
    assert not StaffAuditEntry.objects.exists()


def test_erase_action_needs_the_permission(client) -> None:
    customer = guest()
    client.force_login(staff("view_customer", "change_customer", "delete_customer"))
    page = client.get(reverse(CHANGELIST))
    assert "erase_data" not in page.content.decode()
    client.post(reverse(CHANGELIST), {"action": "erase_data", "_selected_action": [customer.pk]})
    assert Customer.objects.get(pk=customer.pk).erased_at is None
    assert not StaffAuditEntry.objects.exists()


def test_erase_action_erases_and_is_audited(client) -> None:
    customer = guest()
    client.force_login(staff("view_customer", "erase_customer"))
    response = client.post(reverse(CHANGELIST), {"action": "erase_data", "_selected_action": [customer.pk]})
    assert response.status_code == 302
    erased = Customer.objects.get(pk=customer.pk)
    assert (erased.email, erased.last_name) == (f"erased-{customer.pk}@erased.invalid", "")
    entry = StaffAuditEntry.objects.get()
    assert (entry.action, entry.object_ids) == ("customer_erased", [str(customer.pk)])


def test_profile_changes_are_audited_with_before_and_after(client) -> None:
    customer = guest(first_name="Anna", last_name="Berg", email="anna@example.com", phone="", country="DE")
    client.force_login(staff("view_customer", "change_customer"))
    form = {"email": "anna@example.com", "first_name": "Anne", "last_name": "Berg", "phone": "", "country": "DE"}
    response = client.post(
        reverse("admin:customers_customer_change", args=[customer.pk]), form | {"language": customer.language}
    )
    assert response.status_code == 302
    entry = StaffAuditEntry.objects.get()
    assert (entry.action, entry.before, entry.after) == (
        "customer_changed",
        {"first_name": "Anna"},
        {"first_name": "Anne"},
    )


def test_the_audit_log_cannot_be_edited_or_deleted(admin_client, client) -> None:
    customer = guest()
    client.force_login(staff("view_customer", "export_customer"))
    client.post(reverse(CHANGELIST), {"action": "export_data", "_selected_action": [customer.pk]})
    entry = StaffAuditEntry.objects.get()
    for url in (
        reverse("admin:kernel_staffauditentry_change", args=[entry.pk]),
        reverse("admin:kernel_staffauditentry_delete", args=[entry.pk]),
        reverse("admin:kernel_staffauditentry_add"),
    ):
        admin_client.post(url, {"action": "tampered", "post": "yes"})
    assert client.get(reverse("admin:kernel_staffauditentry_changelist")).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "customer_exported"


def test_customers_cannot_be_deleted_from_the_admin(client) -> None:
    customer = guest()
    client.force_login(staff("view_customer", "change_customer", "delete_customer"))
    assert client.get(reverse("admin:customers_customer_delete", args=[customer.pk])).status_code == 403
