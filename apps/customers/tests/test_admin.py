from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from apps.customers.models import Customer
from apps.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:customers_customer_changelist"


def staff(*perms: str) -> User:
    user = User.objects.create_user("desk", "desk@example.com", "pw-not-used", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=perms))
    return user


def test_export_action_downloads_json(client) -> None:
    customer = CustomerFactory(email="zora@example.com")
    client.force_login(staff("view_customer"))
    response = client.post(reverse(CHANGELIST), {"action": "export_data", "_selected_action": [customer.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="customer-{customer.pk}-export.json"'
    assert json.loads(response.content)["customer"]["email"] == "zora@example.com"


def test_erase_action_needs_the_permission(client) -> None:
    customer = CustomerFactory()
    client.force_login(staff("view_customer", "change_customer"))
    page = client.get(reverse(CHANGELIST))
    assert "erase_data" not in page.content.decode()
    client.post(reverse(CHANGELIST), {"action": "erase_data", "_selected_action": [customer.pk]})
    assert Customer.objects.get(pk=customer.pk).erased_at is None


def test_erase_action_erases(client) -> None:
    customer = CustomerFactory()
    client.force_login(staff("view_customer", "change_customer", "delete_customer"))
    response = client.post(reverse(CHANGELIST), {"action": "erase_data", "_selected_action": [customer.pk]})
    assert response.status_code == 302
    erased = Customer.objects.get(pk=customer.pk)
    assert (erased.email, erased.last_name) == (f"erased-{customer.pk}@erased.invalid", "")


def test_customers_cannot_be_deleted_from_the_admin(client) -> None:
    customer = CustomerFactory()
    client.force_login(staff("view_customer", "change_customer", "delete_customer"))
    assert client.get(reverse("admin:customers_customer_delete", args=[customer.pk])).status_code == 403
