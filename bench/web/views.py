"""Bench-only endpoints: the framework ceiling (L3), the minimal raw-SQL booking (L1), a naive
booking that must oversell (the races' negative control), and thin doors onto the real booking
and search services. Mounted only when BENCH_VIEWS=true; they trust their caller, so never in production.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from booking_platform.errors import ApplicationError

LOCK_ROWS = (
    "SELECT id FROM availability_inventory WHERE room_type_id = %s AND night >= %s AND night < %s "
    "AND NOT stop_sell ORDER BY night FOR UPDATE"
)
TAKE_ONE = "UPDATE availability_inventory SET sold = sold + 1 WHERE id = ANY(%s) AND sellable >= sold + held + 1"
RECORD = (
    "INSERT INTO availability_allocation (alloc_key, inventory_id, units, state, created_at, updated_at) "
    "SELECT %s, unnest(%s::bigint[]), 1, 'sold', now(), now()"
)


class BadInput(ApplicationError):
    code = "invalid"
    http_status = 400


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise BadInput("The body is not JSON.") from exc
    if not isinstance(data, dict):
        raise BadInput("The body must be a JSON object.")
    return data


def _stay(data: dict[str, Any]) -> tuple[int, date, date]:
    try:
        check_in = date.fromisoformat(str(data["check_in"]))
        return int(data["room_type_id"]), check_in, check_in + timedelta(days=int(data.get("nights", 1)))
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInput("room_type_id, check_in (YYYY-MM-DD) and nights are required.") from exc


def _refusal(error: ApplicationError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.http_status)


def plain(request: HttpRequest) -> JsonResponse:
    """L3: Django alone (middleware, URL routing, one JSON response)."""
    return JsonResponse({"ok": True})


class DrfPlain(APIView):
    """L3: the same through DRF's request/response cycle."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


@csrf_exempt
@require_POST
def raw_book(request: HttpRequest) -> JsonResponse:
    """L1: the inventory transaction in five statements (BEGIN, lock, conditional UPDATE, INSERT, COMMIT)."""
    try:
        data = _body(request)
        room_type_id, check_in, check_out = _stay(data)
        key = str(data.get("key") or "")[:100]
        if not key:
            raise BadInput("key is required.")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(LOCK_ROWS, [room_type_id, check_in, check_out])
            ids = [row[0] for row in cursor.fetchall()]
            nights = (check_out - check_in).days
            cursor.execute(TAKE_ONE, [ids])
            if len(ids) != nights or cursor.rowcount != nights:
                transaction.set_rollback(True)
                return JsonResponse({"code": "not_available"}, status=409)
            cursor.execute(RECORD, [key, ids])
    except ApplicationError as error:
        return _refusal(error)
    return JsonResponse({"key": key, "nights": nights}, status=201)


@csrf_exempt
@require_POST
def naive_book(request: HttpRequest) -> JsonResponse:
    """Negative control: read free units, wait, then write the counter read in Python (lost updates).

    The database CHECK cannot catch it (the written counter stays within sellable) but the
    allocations it records outnumber the units: the race trials must count these as oversold.
    """
    try:
        data = _body(request)
        room_type_id, check_in, check_out = _stay(data)
        key, window = str(data.get("key") or "naive")[:100], min(float(data.get("window_ms", 20)), 500) / 1000
    except ApplicationError as error:
        return _refusal(error)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, sellable, sold, held FROM availability_inventory WHERE room_type_id = %s AND night >= %s "
            "AND night < %s AND NOT stop_sell ORDER BY night",
            [room_type_id, check_in, check_out],
        )
        rows = cursor.fetchall()
        if len(rows) != (check_out - check_in).days or any(
            sellable - sold - held < 1 for _, sellable, sold, held in rows
        ):
            return JsonResponse({"code": "not_available"}, status=409)
        time.sleep(window)
        for pk, _, sold, _ in rows:
            cursor.execute("UPDATE availability_inventory SET sold = %s WHERE id = %s", [sold + 1, pk])
        cursor.execute(RECORD, [key, [row[0] for row in rows]])
    return JsonResponse({"key": key}, status=201)


@csrf_exempt
@require_POST
def service_book(request: HttpRequest) -> JsonResponse:
    """The real booking service (bookings.interface.book) behind a door with no API layer."""
    try:
        data = _body(request)
        room_type_id, check_in, check_out = _stay(data)
        try:
            customer_id, property_id = int(data["customer_id"]), int(data["property_id"])
            room = bookings.RoomRequest(room_type_id, int(data["rate_plan_id"]), int(data.get("adults", 2)))
        except (KeyError, TypeError, ValueError) as exc:
            raise BadInput("property_id, customer_id and rate_plan_id are required.") from exc
        stay = bookings.StayRequest(
            property_id=property_id, customer_id=customer_id, check_in=check_in, check_out=check_out,
            rooms=[room], channel="web",
        )  # fmt: skip
        booking = bookings.book(request=stay, actor=bookings.Actor.guest(customer_id))
    except ApplicationError as error:
        return _refusal(error)
    return JsonResponse({"reference": booking.reference, "total": str(booking.total)}, status=201)


@require_GET
def search(request: HttpRequest) -> JsonResponse:
    """Availability search through the availability interface, rendered as a compact JSON list."""
    try:
        try:
            check_in = date.fromisoformat(request.GET["check_in"])
            nights, property_id = int(request.GET.get("nights", 1)), int(request.GET["property_id"])
        except (KeyError, ValueError) as exc:
            raise BadInput("property_id and check_in are required.") from exc
        offers = availability.search(
            check_in=check_in, check_out=check_in + timedelta(days=nights), property_id=property_id, adults=2
        )
    except ApplicationError as error:
        return _refusal(error)
    rows = [
        {"room_type_id": o.room_type.id, "rate_plan_id": o.rate_plan_id, "total": str(o.total),
         "available": o.units_available, "bookable": o.bookable}
        for o in offers
    ]  # fmt: skip
    return JsonResponse({"offers": rows})
