"""The front desk board: a day's arrivals, departures and in-house guests per property, with
one-click check-in/out and room assignment (the booking page's own actions), and rooms to clean.

A constant number of queries whatever the number of guests: properties, bookings + rooms,
guest names, rooms.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from apps.customers import interface as customers
from apps.front_desk.scope import chosen_properties, user_properties
from booking_platform.errors import ApplicationError

READY = ("clean", "inspected")


def _day(request: HttpRequest, props: dict) -> date:
    raw = request.GET.get("day", "")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        first = next(iter(props.values()), None)
        return availability.local_today(first.timezone if first else "UTC")


def _row(info: bookings.BookingInfo, guests: dict, rooms: dict) -> dict:
    guest = guests.get(info.customer_id)
    numbers = [rooms[r.assigned_room_id].room_number for r in info.rooms if r.assigned_room_id in rooms]
    return {
        "info": info,
        "guest": (f"{guest[0]} {guest[1]}".strip() or guest[2]) if guest else "(guest data erased)",
        "rooms": ", ".join(numbers) or "no room yet",
        "unassigned": [r for r in info.rooms if not r.assigned_room_id],
        "types": ", ".join(r.room_type_name for r in info.rooms),
    }


def _property_block(prop: availability.PropertyInfo, board: bookings.DayBoard, guests: dict, rooms: dict) -> dict:
    mine = [room for room in rooms.values() if room.property_id == prop.id]
    used = {
        r.assigned_room_id for b in (*board.in_house, *board.departures) for r in b.rooms if b.property_id == prop.id
    }
    free = {}
    for room in mine:
        if room.housekeeping_status in READY and room.id not in used:
            free.setdefault(room.room_type_id, []).append(room)
    arrivals = [_row(b, guests, rooms) for b in board.arrivals if b.property_id == prop.id]
    for row in arrivals:
        row["free"] = [room for line in row["unassigned"] for room in free.get(line.room_type_id, [])]
    return {
        "prop": prop,
        "arrivals": arrivals,
        "departures": [_row(b, guests, rooms) for b in board.departures if b.property_id == prop.id],
        "in_house": [_row(b, guests, rooms) for b in board.in_house if b.property_id == prop.id],
        "to_clean": [room for room in mine if room.housekeeping_status == "dirty"],
        "out_of_order": [room for room in mine if room.housekeeping_status == "out_of_order"],
    }


def board_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("kernel.view_front_desk"):
        raise PermissionDenied
    props, chosen = chosen_properties(request)
    day = _day(request, props)
    board = bookings.bookings_for_day(property_ids=list(props), day=day)
    everyone = (*board.arrivals, *board.departures, *board.in_house)
    guests = customers.customers_by_ids({b.customer_id for b in everyone})
    rooms = {room.id: room for room in availability.rooms_of_properties(list(props))}
    context = {
        **admin.site.each_context(request),
        "title": f"Front desk · {day:%A %d %B %Y}",
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "blocks": [_property_block(prop, board, guests, rooms) for prop in props.values()],
        "all_properties": user_properties(request) if len(props) > 1 or chosen else props,
        "chosen": chosen,
        "can": {
            "check_in": request.user.has_perm("bookings.check_in_booking"),
            "check_out": request.user.has_perm("bookings.check_out_booking"),
            "assign": request.user.has_perm("bookings.assign_room_booking"),
            "clean": request.user.has_perm("availability.change_room"),
        },
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "front_desk/board.html", context)


def housekeeping_view(request: HttpRequest, room_id: int) -> HttpResponse:
    """Housekeeping marks a room clean (or dirty again); only rooms of the user's properties."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if not request.user.has_perm("availability.change_room"):
        raise PermissionDenied
    rooms = {room.id: room for room in availability.rooms_of_properties(list(user_properties(request)))}
    if room_id not in rooms:
        raise Http404("No such room.")
    status = request.POST.get("status", "clean")
    try:
        availability.room_housekeeping_set(room_id=room_id, status=status)
        messages.success(request, f"Room {rooms[room_id].room_number} is now {status.replace('_', ' ')}.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:front_desk_board")
    return HttpResponseRedirect(target)
