"""Every admin URL, for a superuser, each role at property A, and a manager of property B.

Enumerated from the admin registry (changelist, add, change, delete, history for every model)
plus the custom views, every action, the autocomplete and the exports. Asserts who gets what:
what a role's permissions allow answers 200, anything else 403; B never sees or changes A's
data; and a user who may only view changes nothing, whatever they POST.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from apps.availability.models import Allocation, Inventory, NightRate, Room
from apps.bookings.interface import book
from apps.bookings.models import Booking
from apps.customers.models import Customer
from apps.front_desk.roles import ROLES as ROLES_TABLE
from apps.front_desk.tests.conftest import ARRIVAL, ROLES, client_for, guest, make_staff, stay
from booking_platform.events.models import OutboxEvent
from booking_platform.notifications.models import Delivery
from booking_platform.staff.access import staff_audit_record
from booking_platform.staff.models import StaffAuditEntry, StaffMembership

pytestmark = pytest.mark.django_db
ROLE_PERMS = ROLES_TABLE
WATCHED = (Booking, Customer, Room, Inventory, NightRate, Delivery, StaffAuditEntry, StaffMembership)


def state() -> list:
    """Everything a staff screen could change, as plain values."""
    return [list(model.objects.order_by("pk").values()) for model in WATCHED]


@pytest.fixture
def world(hotel, other_hotel) -> dict:
    booking_a = book(request=stay(hotel), actor=guest(hotel))
    book(request=stay(other_hotel), actor=guest(other_hotel))
    event = OutboxEvent.objects.filter(aggregate_id=booking_a.reference).first()
    Delivery.objects.create(
        event_id=event.event_id, channel="email", recipient="a@example.com", kind="x", status="failed"
    )
    superuser = User.objects.create_superuser("root", "root@example.com", "pw-not-used")
    staff_audit_record(user=superuser, action="customer_exported", object_type="customers.customer", object_ids=[1])
    users = {role: make_staff(f"role{n}", role, hotel.property_id) for n, role in enumerate(ROLES)}
    users["B manager"] = make_staff("bmanager", "Owner / manager", other_hotel.property_id)
    StaffMembership.objects.create(user=superuser, property_id=hotel.property_id)
    return {
        "a": hotel,
        "b": other_hotel,
        "booking": Booking.objects.get(pk=booking_a.id),
        "users": users,
        "root": superuser,
    }


def objects_of_a(world: dict) -> dict:
    """One object of property A for every registered model that has one."""
    a, booking = world["a"], world["booking"]
    return {
        "availability.property": a.property_id,
        "availability.roomtype": a.room_type_id,
        "availability.room": a.room_ids[0],
        "availability.rateplan": a.rate_plan_id,
        "availability.inventory": Inventory.objects.filter(room_type_id=a.room_type_id).first().pk,
        "availability.nightrate": NightRate.objects.filter(room_type_id=a.room_type_id).first().pk,
        "availability.allocation": Allocation.objects.filter(alloc_key=booking.allocation_key).first().pk,
        "bookings.booking": booking.pk,
        "customers.customer": a.guest_id,
        "kernel.outboxevent": OutboxEvent.objects.filter(aggregate_id=booking.reference).first().pk,
        "kernel.delivery": Delivery.objects.get().pk,
    }


def allowed(user: User, perm: str) -> bool:
    return user.is_superuser or user.has_perm(perm)


def test_every_model_url_answers_by_role_and_property(world: dict) -> None:
    objs = objects_of_a(world)
    people = {"root": world["root"], **world["users"]}
    for name, user in people.items():
        client = client_for(user)
        for model, model_admin in admin.site._registry.items():
            label, info = model._meta.label_lower, (model._meta.app_label, model._meta.model_name)
            user = User.objects.get(pk=user.pk)  # fresh permission cache
            changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
            may_view = allowed(user, f"{info[0]}.view_{info[1]}") or allowed(user, f"{info[0]}.change_{info[1]}")
            if label in ("kernel.staffmembership", "kernel.staffauditentry"):
                may_view = user.is_superuser
            assert changelist.status_code == (200 if may_view else 403), (name, label, changelist.status_code)
            may_add = model_admin.has_add_permission(changelist.wsgi_request)
            add = client.get(reverse("admin:{}_{}_add".format(*info)))
            assert add.status_code == (200 if may_add else 403), (name, label, add.status_code)
            if name == "Read-only":
                assert not may_add, label
            if label not in objs:
                continue
            pk = objs[label]
            if changelist.status_code == 200:
                listed = {obj.pk for obj in changelist.context["cl"].result_list}
                assert (pk in listed) == (name != "B manager"), (name, label)
            delete = client.get(reverse(f"admin:{info[0]}_{info[1]}_delete", args=[pk]))
            if name in ("B manager", "Read-only", "Housekeeping"):
                assert delete.status_code in (302, 403, 404), (name, label, delete.status_code)
            for view in ("change", "history"):
                page = client.get(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[pk]))
                if name == "B manager":
                    assert page.status_code in (302, 403, 404), (name, label, view, page.status_code)
                else:
                    assert page.status_code == (200 if may_view else 403), (name, label, view, page.status_code)


def test_b_never_changes_a_and_view_only_users_change_nothing(world: dict) -> None:
    """POST every change form, delete confirmation and action on A's objects as B and as Read-only."""
    objs = objects_of_a(world)
    root_client = client_for(world["root"])
    for name in ("B manager", "Read-only", "Housekeeping"):
        client = client_for(world["users"][name])
        before = state()
        for model, model_admin in admin.site._registry.items():
            label, info = model._meta.label_lower, (model._meta.app_label, model._meta.model_name)
            if label not in objs:
                continue
            pk = objs[label]
            client.post(reverse(f"admin:{info[0]}_{info[1]}_change", args=[pk]), {"price": "1", "sellable": "0"})
            client.post(reverse(f"admin:{info[0]}_{info[1]}_delete", args=[pk]), {"post": "yes"})
            root_request = root_client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist")).wsgi_request
            for action in model_admin.get_actions(root_request):
                response = client.post(
                    reverse(f"admin:{info[0]}_{info[1]}_changelist"), {"action": action, "_selected_action": [pk]}
                )
                assert response.get("Content-Type", "").startswith("text/html") or response.status_code in (302, 403)
        assert state() == before, name


def test_custom_views_by_role(world: dict) -> None:
    a, booking = world["a"], world["booking"]
    gets = {
        reverse("admin:front_desk_board"): "kernel.view_front_desk",
        reverse("admin:front_desk_reports"): "kernel.view_reports",
        reverse("admin:front_desk_new_booking"): "bookings.add_booking",
        reverse("admin:availability_calendar", args=[a.property_id]): "availability.view_inventory",
        reverse("admin:bookings_booking_do", args=[booking.pk, "cancel"]): "bookings.cancel_booking",
    }
    for name, user in {"root": world["root"], **world["users"]}.items():
        client = client_for(user)
        for url, perm in gets.items():
            expected = 200 if allowed(user, perm) else 403
            if name == "B manager" and (str(a.property_id) in url.split("/") or str(booking.pk) in url.split("/")):
                expected = 404
            if "calendar" in url and name != "B manager":
                expected = 200 if allowed(user, perm) or allowed(user, "availability.view_nightrate") else 403
            assert client.get(url).status_code == expected, (name, url)


def test_b_cannot_reach_a_through_boards_reports_posts_or_autocomplete(world: dict) -> None:
    a, booking = world["a"], world["booking"]
    client = client_for(world["users"]["B manager"])
    before = state()
    assert client.get(reverse("admin:front_desk_board") + f"?property={a.property_id}").status_code == 404
    assert client.get(reverse("admin:front_desk_reports") + f"?property={a.property_id}").status_code == 404
    board = client.get(reverse("admin:front_desk_board") + f"?day={ARRIVAL + timedelta(days=0)}")
    assert booking.reference not in board.content.decode()
    for url, data in (
        (reverse("admin:bookings_booking_do", args=[booking.pk, "cancel"]), {}),
        (reverse("admin:bookings_booking_do", args=[booking.pk, "check_in"]), {}),
        (reverse("admin:bookings_booking_assign", args=[booking.pk]), {"room_id": a.room_ids[0]}),
        (
            reverse("admin:bookings_booking_dates", args=[booking.pk]),
            {"check_in": "2030-03-11", "check_out": "2030-03-12"},
        ),
        (reverse("admin:front_desk_clean", args=[a.room_ids[0]]), {"status": "out_of_order"}),
        (reverse("admin:availability_calendar", args=[a.property_id]), {"date_from": "2030-03-10"}),
    ):
        assert client.post(url, data).status_code == 404, url
    new = client.post(
        reverse("admin:front_desk_new_booking"),
        {"room_type": a.room_type_id, "rate_plan": a.rate_plan_id, "check_in": "2030-03-12", "check_out": "2030-03-13"}
        | {"rooms": 1, "adults": 2, "children": 0, "email": "x@example.com", "first_name": "X", "last_name": "Y"}
        | {"language": "en", "book": "1"},
    )
    assert new.status_code == 200
    assert "room_type" in new.context["form"].errors
    ac = client.get(
        "/admin/autocomplete/", {"app_label": "availability", "model_name": "room", "field_name": "room_type"}
    )
    assert ac.status_code == 200
    assert str(a.room_type_id) not in {r["id"] for r in ac.json()["results"]}
    options = client.get(reverse("admin:bookings_booking_changelist")).context["cl"].filter_specs
    assert all(str(a.property_id) != value for spec in options for value, _ in getattr(spec, "lookup_choices", []))
    assert state() == before


def test_view_only_never_gets_a_download(world: dict) -> None:
    client = client_for(world["users"]["Read-only"])
    for url, action, pk in (
        (reverse("admin:customers_customer_changelist"), "export_data", world["a"].guest_id),
        (reverse("admin:bookings_booking_changelist"), "export_csv", world["booking"].pk),
    ):
        response = client.post(url, {"action": action, "_selected_action": [pk]})
        assert response["Content-Type"].startswith("text/html"), action
    assert StaffAuditEntry.objects.count() == 1  # only the fixture's entry


def test_roles_are_the_documented_groups() -> None:
    assert set(ROLE_PERMS) == set(ROLES)
    assert "customers.export_customer" not in ROLE_PERMS["Read-only"]
    assert not any(p.split(".")[1].startswith(("change_", "add_", "delete_")) for p in ROLE_PERMS["Read-only"])
