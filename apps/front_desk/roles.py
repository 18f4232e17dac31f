"""Staff roles: Django groups with explicit permissions, and the custom permissions the admin's
actions declare. Created by the 0001_roles data migration and, for anything missing, after every
migrate/flush (post_migrate), so a fresh or flushed database always has them. A group that already
exists keeps whatever permissions an administrator gave it.
"""

from __future__ import annotations

from typing import Any

CUSTOM = {
    ("bookings", "booking"): [
        ("confirm_booking", "Can confirm a held booking"),
        ("cancel_booking", "Can cancel a booking"),
        ("check_in_booking", "Can check a guest in"),
        ("check_out_booking", "Can check a guest out"),
        ("no_show_booking", "Can record a no-show"),
        ("assign_room_booking", "Can assign or move a room"),
        ("modify_booking", "Can change a booking's dates"),
        ("export_booking", "Can export bookings (CSV)"),
    ],
    ("customers", "customer"): [
        ("export_customer", "Can export a guest's personal data"),
        ("erase_customer", "Can erase a guest's personal data"),
    ],
    ("availability", "nightrate"): [("change_rates", "Can change rates, restrictions and sellable in bulk")],
    ("kernel", "delivery"): [("resend_delivery", "Can send failed messages again")],
    ("kernel", "staffmembership"): [
        ("view_front_desk", "Can view the front desk board"),
        ("view_reports", "Can view occupancy and revenue reports"),
    ],
}

CATALOGUE = ["property", "roomtype", "roomtypephoto", "room", "rateplan", "inventory", "nightrate", "allocation"]
READ_CATALOGUE = [f"availability.view_{m}" for m in CATALOGUE if m != "allocation"]

ROLES = {
    "Owner / manager": [
        *(f"availability.view_{m}" for m in CATALOGUE),
        "availability.change_property",
        *(f"availability.{a}_roomtype" for a in ("add", "change")),
        *(f"availability.{a}_roomtypephoto" for a in ("add", "change", "delete")),
        *(f"availability.{a}_room" for a in ("add", "change")),
        *(f"availability.{a}_rateplan" for a in ("add", "change")),
        "availability.change_inventory",
        *(f"availability.{a}_nightrate" for a in ("add", "change")),
        "availability.change_rates",
        "bookings.view_booking",
        "bookings.add_booking",
        *(f"bookings.{c}" for c, _ in CUSTOM[("bookings", "booking")]),
        "customers.view_customer",
        "customers.change_customer",
        "customers.export_customer",
        "customers.erase_customer",
        "kernel.view_delivery",
        "kernel.resend_delivery",
        "kernel.view_outboxevent",
        "kernel.view_front_desk",
        "kernel.view_reports",
    ],
    "Front desk": [
        "availability.view_property",
        "availability.view_roomtype",
        "availability.view_room",
        "availability.change_room",
        "availability.view_rateplan",
        "bookings.view_booking",
        "bookings.add_booking",
        "bookings.confirm_booking",
        "bookings.cancel_booking",
        "bookings.check_in_booking",
        "bookings.check_out_booking",
        "bookings.no_show_booking",
        "bookings.assign_room_booking",
        "bookings.modify_booking",
        "customers.view_customer",
        "customers.change_customer",
        "kernel.view_delivery",
        "kernel.resend_delivery",
        "kernel.view_front_desk",
    ],
    "Revenue": [
        *READ_CATALOGUE,
        *(f"availability.{a}_rateplan" for a in ("add", "change")),
        "availability.change_inventory",
        *(f"availability.{a}_nightrate" for a in ("add", "change")),
        "availability.change_rates",
        "bookings.view_booking",
        "bookings.export_booking",
        "kernel.view_reports",
    ],
    "Housekeeping": ["availability.view_room", "availability.change_room", "kernel.view_front_desk"],
    "Read-only": [
        *READ_CATALOGUE,
        "bookings.view_booking",
        "customers.view_customer",
        "kernel.view_front_desk",
        "kernel.view_reports",
    ],
}


def _permission(apps: Any, label: str) -> Any:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = label.split(".")
    custom = {c: (model, name) for (app, model), items in CUSTOM.items() if app == app_label for c, name in items}
    if codename in custom:
        model, name = custom[codename]
    else:
        action, model = codename.split("_", 1)
        name = f"Can {action} {model}"
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def sync_roles(apps: Any, *, reset: bool = False) -> None:
    Group = apps.get_model("auth", "Group")
    for (app_label, _model), items in CUSTOM.items():
        for codename, _name in items:
            _permission(apps, f"{app_label}.{codename}")
    for role, labels in ROLES.items():
        group, created = Group.objects.get_or_create(name=role)
        if created or reset:
            group.permissions.set([_permission(apps, label) for label in labels])


def on_post_migrate(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """After migrate (which passes its model states) or flush (which passes none): put back what is missing."""
    if apps is None:
        from django.apps import apps as installed

        apps = installed
    try:
        apps.get_model("auth", "Group")
        apps.get_model("contenttypes", "ContentType")
    except LookupError:  # migrating a database where auth is not set up yet
        return
    sync_roles(apps)
