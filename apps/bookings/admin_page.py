"""The booking page: guest, rooms by number, nightly prices, terms in words, audit trail, events,
messages sent, and buttons for every step the user may take. Each button calls one service."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from apps.availability import interface as availability
from apps.bookings import policies
from apps.bookings.actors import Actor
from apps.bookings.admin_lists import decorate
from apps.bookings.models import AuditEntry, Booking, BookingRoom, Status
from apps.bookings.services import lifecycle, modify, rooms, stay
from apps.bookings.services.pricing import RoomRequest
from booking_platform.errors import ApplicationError
from booking_platform.events.models import OutboxEvent
from booking_platform.notifications.models import Delivery

# which statuses each button is offered in (the service still decides)
OFFERED = {
    "confirm": (Status.HELD,),
    "cancel": (Status.HELD, Status.CONFIRMED),
    "check_in": (Status.CONFIRMED,),
    "check_out": (Status.CHECKED_IN,),
    "no_show": (Status.CONFIRMED,),
}
READY = ("clean", "inspected")


def _check_out(*, booking_id: int, actor: Actor) -> Booking:
    """The guest leaves and the rooms they used are marked dirty for housekeeping, in one transaction."""
    with transaction.atomic():
        booking = stay.booking_check_out(booking_id=booking_id, actor=actor)
        for line in booking.rooms.all():
            if line.assigned_room_id:
                availability.room_housekeeping_set(room_id=line.assigned_room_id, status="dirty")
    return booking


SERVICES = {
    "confirm": lifecycle.booking_confirm,
    "cancel": lifecycle.booking_cancel,
    "check_in": stay.booking_check_in,
    "check_out": _check_out,
    "no_show": stay.booking_no_show,
}


def run_service(name: str, *, booking_id: int, actor: Actor, reason: str = "") -> Booking:
    if name == "cancel":
        return lifecycle.booking_cancel(booking_id=booking_id, actor=actor, reason=reason)
    return SERVICES[name](booking_id=booking_id, actor=actor)


def _booking(modeladmin: Any, request: HttpRequest, object_id: Any) -> Booking:
    """403 without the view permission; 404 unless the user's properties include it (no leak)."""
    if not modeladmin.has_view_permission(request):
        raise PermissionDenied
    booking = modeladmin.get_queryset(request).filter(pk=object_id).first()
    if booking is None:
        raise Http404("No such booking.")
    return booking


def _back(request: HttpRequest, booking: Booking) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:bookings_booking_change", args=[booking.pk])
    return HttpResponseRedirect(target)


def _readable(value: Any) -> str:
    """Audit values for people: lists and dicts as short "key value" text, empty parts left out."""
    if isinstance(value, list):
        return "; ".join(_readable(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{key.replace('_', ' ')} {_readable(item)}"
            for key, item in value.items()
            if item not in (None, "", [], {})
        )
    return "" if value is None else str(value)


def _changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    keys = sorted(set(entry.before) | set(entry.after))
    return [
        (key.replace("_", " "), _readable(entry.before.get(key)), _readable(entry.after.get(key)))
        for key in keys
        if entry.before.get(key) != entry.after.get(key)
    ]


def _rooms_in_use(booking: Booking) -> set[int]:
    overlapping = Q(booking__status=Status.CHECKED_IN) | Q(
        booking__status=Status.CONFIRMED,
        booking__check_in__lt=booking.check_out,
        booking__check_out__gt=booking.check_in,
    )
    rows = BookingRoom.objects.filter(
        overlapping, booking__property_id=booking.property_id, assigned_room_id__isnull=False
    )
    return set(rows.exclude(booking=booking).values_list("assigned_room_id", flat=True))


def _free_rooms(booking: Booking) -> list[Any]:
    """Clean or inspected rooms of the booking's room types that no overlapping guest has (two queries)."""
    types = {line.room_type_id for line in booking.rooms.all()}
    taken = _rooms_in_use(booking)
    rooms_here = availability.rooms_of_properties([booking.property_id])
    return [r for r in rooms_here if r.room_type_id in types and r.housekeeping_status in READY and r.id not in taken]


def _allowed(modeladmin: Any, request: HttpRequest, booking: Booking) -> list[str]:
    return [
        name
        for name, statuses in OFFERED.items()
        if booking.status in statuses and getattr(modeladmin, f"has_{name}_permission")(request)
    ]


def booking_page(modeladmin: Any, request: HttpRequest, object_id: Any) -> HttpResponse:
    booking = _booking(modeladmin, request, object_id)
    decorate([booking])
    prop = availability.get_property(booking.property_id)
    fee = None
    if booking.status in (Status.HELD, Status.CONFIRMED):
        fee = policies.cancellation_fee(booking, prop=prop, now=timezone.now())
    can_assign = request.user.has_perm("bookings.assign_room_booking") and booking.status in (
        Status.CONFIRMED,
        Status.CHECKED_IN,
    )
    can_modify = request.user.has_perm("bookings.modify_booking") and booking.status in (Status.HELD, Status.CONFIRMED)
    events = list(OutboxEvent.objects.filter(aggregate_type="booking", aggregate_id=booking.reference).order_by("id"))
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": Booking._meta,
        "title": f"Booking {booking.reference}",
        "booking": booking,
        "prop": prop,
        "nights": (booking.check_out - booking.check_in).days,
        "lines": list(zip(booking.rooms.all(), booking.room_labels, strict=True)),
        "policy_text": policies.describe(booking, prop=prop),
        "fee": fee,
        "audit": [(entry, _changes(entry)) for entry in booking.audit_entries.order_by("id")],
        "events": events,
        "deliveries": list(Delivery.objects.filter(event_id__in=[e.event_id for e in events]).order_by("id")),
        "actions": _allowed(modeladmin, request, booking),
        "free_rooms": _free_rooms(booking) if can_assign else [],
        "can_assign": can_assign,
        "can_modify": can_modify,
        "room_types": availability.room_types_of_properties([booking.property_id]) if can_modify else [],
    }
    return TemplateResponse(request, "admin/bookings/booking/page.html", context)


def do_action(modeladmin: Any, request: HttpRequest, object_id: int, name: str) -> HttpResponse:
    """POST runs the step; GET of cancel shows the fee and the terms first."""
    if name not in SERVICES:
        raise Http404("No such action.")
    booking = _booking(modeladmin, request, object_id)
    if not getattr(modeladmin, f"has_{name}_permission")(request):
        raise PermissionDenied
    if request.method != "POST":
        if name != "cancel":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        prop = availability.get_property(booking.property_id)
        context = {
            **modeladmin.admin_site.each_context(request),
            "opts": Booking._meta,
            "title": f"Cancel booking {booking.reference}?",
            "booking": booking,
            "policy_text": policies.describe(booking, prop=prop),
            "fee": policies.cancellation_fee(booking, prop=prop, now=timezone.now())
            if booking.status in OFFERED["cancel"]
            else None,
            "next": request.GET.get("next", ""),
        }
        return TemplateResponse(request, "admin/bookings/booking/cancel_confirm.html", context)
    try:
        done = run_service(
            name, booking_id=booking.pk, actor=Actor.staff(request.user.pk), reason=request.POST.get("reason", "")
        )
        modeladmin.message_user(request, f"{done.reference}: {done.get_status_display().lower()}.", messages.SUCCESS)
    except ApplicationError as exc:
        modeladmin.message_user(request, f"{booking.reference}: {exc.message}", messages.ERROR)
    return _back(request, booking)


def assign_room(modeladmin: Any, request: HttpRequest, object_id: int) -> HttpResponse:
    booking = _booking(modeladmin, request, object_id)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if not request.user.has_perm("bookings.assign_room_booking"):
        raise PermissionDenied
    room_id = request.POST.get("room_id", "")
    if not room_id.isdigit():
        modeladmin.message_user(request, "Choose a room.", messages.ERROR)
        return _back(request, booking)
    try:
        rooms.booking_assign_room(booking_id=booking.pk, room_id=int(room_id), actor=Actor.staff(request.user.pk))
        modeladmin.message_user(request, f"{booking.reference}: room assigned.", messages.SUCCESS)
    except ApplicationError as exc:
        modeladmin.message_user(request, f"{booking.reference}: {exc.message}", messages.ERROR)
    return _back(request, booking)


def _requested_rooms(request: HttpRequest, booking: Booking) -> list[RoomRequest] | None:
    """Room type, adults and children per line from the page's form (None: the lines stay as they are)."""
    lines = list(booking.rooms.all())
    if f"adults_{len(lines) - 1}" not in request.POST:
        return None
    post = request.POST
    return [
        RoomRequest(
            room_type_id=int(post.get(f"room_type_{i}", line.room_type_id)),
            rate_plan_id=line.rate_plan_id,
            adults=int(post[f"adults_{i}"]),
            children=int(post.get(f"children_{i}", "0")),
            guest_name=line.guest_name,
        )
        for i, line in enumerate(lines)
    ]


def change_dates(modeladmin: Any, request: HttpRequest, object_id: int) -> HttpResponse:
    """New dates, room types or guests, re-priced by the modify service; a stale page, a sold-out night
    or too many guests is refused cleanly and changes nothing."""
    booking = _booking(modeladmin, request, object_id)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if not request.user.has_perm("bookings.modify_booking"):
        raise PermissionDenied
    try:
        check_in = date.fromisoformat(request.POST.get("check_in", ""))
        check_out = date.fromisoformat(request.POST.get("check_out", ""))
        version = int(request.POST.get("version", ""))
        new_rooms = _requested_rooms(request, booking)
    except ValueError:
        modeladmin.message_user(request, "Enter dates as YYYY-MM-DD and whole numbers of guests.", messages.ERROR)
        return _back(request, booking)
    try:
        done = modify.booking_modify(
            booking_id=booking.pk,
            actor=Actor.staff(request.user.pk),
            expected_version=version,
            check_in=check_in,
            check_out=check_out,
            rooms=new_rooms,
        )
        modeladmin.message_user(request, f"{done.reference}: changed, new total {done.total}.", messages.SUCCESS)
    except ApplicationError as exc:
        modeladmin.message_user(request, f"{booking.reference}: {exc.message}", messages.ERROR)
    return _back(request, booking)
