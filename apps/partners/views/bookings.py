"""Holds and bookings: every write goes through the bookings interface with the partner as actor,
so ownership is checked by the booking services themselves (another partner's booking: 404)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from apps.customers import interface as customers
from apps.partners import presenters
from apps.partners.models import Partner, Scope
from apps.partners.serializers import (
    BookingIn,
    BookingListQuery,
    BookingOut,
    BookingPageOut,
    CancellationQuoteOut,
    EmptyIn,
    ModifyIn,
    StayIn,
)
from apps.partners.views.base import PartnerView
from apps.partners.views.catalogue import property_for
from booking_platform.api.pagination import decode_cursor, encode_cursor


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _rooms(rooms: list[dict[str, Any]]) -> list[bookings.RoomRequest]:
    return [
        bookings.RoomRequest(
            room_type_id=r["room_type_id"],
            rate_plan_id=r["rate_plan_id"],
            adults=r["adults"],
            children=r["children"],
            guest_name=r["guest_name"],
        )
        for r in rooms
    ]


def stay_request(
    partner: Partner, data: dict[str, Any], prop: availability.PropertyInfo
) -> tuple[bookings.StayRequest, customers.CustomerInfo]:
    """The guest profile is found or made from the details given (and returned); the partner owns the booking."""
    guest = data["guest"]
    customer = customers.upsert_customer(
        email=guest["email"],
        first_name=guest["first_name"],
        last_name=guest["last_name"],
        phone=guest["phone"],
        country=guest["country"],
        language=guest["language"],
    )
    stay = bookings.StayRequest(
        property_id=prop.id,
        customer_id=customer.id,
        check_in=data["check_in"],
        check_out=data["check_out"],
        rooms=_rooms(data["rooms"]),
        channel="partner",
        language=guest["language"],
        special_requests=data["special_requests"],
        partner_id=partner.pk,
        partner_reference=data["partner_reference"],
    )
    return stay, customer


def booking_response(
    info: bookings.BookingInfo, *, status_code: int = 200, prop: availability.PropertyInfo | None = None
) -> Response:
    """``prop``: the booking's property when the caller holds it already (saves reading it again)."""
    if prop is None or prop.id != info.property_id:
        prop = availability.get_property(info.property_id)
    return Response(presenters.booking(info, property_slug=prop.slug), status=status_code)


class HoldListView(PartnerView):
    scopes = {"POST": Scope.BOOKINGS_WRITE}

    @extend_schema(request=StayIn, responses={201: BookingOut}, operation_id="holds_create")
    def post(self, request: Request) -> Response:
        def work() -> Response:
            data = _valid(StayIn, request.data)
            prop = property_for(self.partner, data["property"])
            stay, guest = stay_request(self.partner, data, prop)
            info = bookings.hold_booking(request=stay, actor=self.actor, guest=guest)
            return booking_response(info, status_code=status.HTTP_201_CREATED, prop=prop)

        return self.idempotent(request, work)


class HoldDetailView(PartnerView):
    scopes = {"GET": Scope.BOOKINGS_READ, "DELETE": Scope.BOOKINGS_WRITE}

    @extend_schema(responses=BookingOut, operation_id="holds_retrieve")
    def get(self, request: Request, reference: str) -> Response:
        return booking_response(bookings.find_booking(reference, actor=self.actor))

    @extend_schema(responses=BookingOut, operation_id="holds_release")
    def delete(self, request: Request, reference: str) -> Response:
        """Release a hold at once (its rooms go back on sale); a confirmed booking is cancelled with POST cancel."""
        info = bookings.find_booking(reference, actor=self.actor)
        if info.status != "held":
            raise bookings.InvalidTransition(
                "Only a hold can be released; cancel a booking instead.",
                extra={"reference": info.reference, "status": info.status, "action": "released"},
            )
        return booking_response(bookings.cancel_booking(booking_id=info.id, actor=self.actor))


class BookingListView(PartnerView):
    scopes = {"GET": Scope.BOOKINGS_READ, "POST": Scope.BOOKINGS_WRITE}

    @extend_schema(parameters=[BookingListQuery], responses=BookingPageOut, operation_id="bookings_list")
    def get(self, request: Request) -> Response:
        q = _valid(BookingListQuery, request.query_params.dict())
        prop = property_for(self.partner, q["property"]) if q.get("property") else None
        filters = bookings.BookingFilter(
            property_id=prop.id if prop else None,
            status=q.get("status"),
            check_in_from=q.get("check_in_from"),
            check_in_to=q.get("check_in_to"),
            before_id=decode_cursor(q.get("cursor")),
        )
        limit = q["limit"]
        found = bookings.list_bookings(actor=self.actor, filters=filters, limit=limit + 1)
        items = found[:limit]
        slugs = {p.id: p.slug for p in availability.active_properties()}
        return Response(
            {
                "results": [presenters.booking(b, property_slug=slugs.get(b.property_id) or "") for b in items],
                "next_cursor": encode_cursor(items[-1].id) if len(found) > limit else None,
            }
        )

    @extend_schema(request=BookingIn, responses={201: BookingOut}, operation_id="bookings_create")
    def post(self, request: Request) -> Response:
        """Confirm a hold (``{"hold": "<reference>"}``) or book directly with the stay and guest."""

        def work() -> Response:
            data = _valid(BookingIn, request.data)
            prop = None
            if data.get("hold"):
                held = bookings.find_booking(data["hold"], actor=self.actor)
                info = bookings.confirm_booking(booking_id=held.id, actor=self.actor)
            else:
                prop = property_for(self.partner, data["property"])
                stay, guest = stay_request(self.partner, data, prop)
                info = bookings.book(request=stay, actor=self.actor, guest=guest)
            return booking_response(info, status_code=status.HTTP_201_CREATED, prop=prop)

        return self.idempotent(request, work)


class BookingDetailView(PartnerView):
    scopes = {"GET": Scope.BOOKINGS_READ}

    @extend_schema(responses=BookingOut, operation_id="bookings_retrieve")
    def get(self, request: Request, reference: str) -> Response:
        return booking_response(bookings.find_booking(reference, actor=self.actor))


class BookingCancellationView(PartnerView):
    scopes = {"GET": Scope.BOOKINGS_READ}

    @extend_schema(responses=CancellationQuoteOut, operation_id="bookings_cancellation_quote")
    def get(self, request: Request, reference: str) -> Response:
        """What cancelling now would cost; nothing changes."""
        info = bookings.find_booking(reference, actor=self.actor)
        fee = bookings.cancellation_fee(booking_id=info.id, actor=self.actor)
        return Response(
            {"reference": info.reference, "cancellation_fee": presenters.money(fee), "currency": info.currency}
        )


class BookingCancelView(PartnerView):
    scopes = {"POST": Scope.BOOKINGS_WRITE}

    @extend_schema(request=EmptyIn, responses=BookingOut, operation_id="bookings_cancel")
    def post(self, request: Request, reference: str) -> Response:
        def work() -> Response:
            _valid(EmptyIn, request.data or {})
            info = bookings.find_booking(reference, actor=self.actor)
            return booking_response(bookings.cancel_booking(booking_id=info.id, actor=self.actor))

        return self.idempotent(request, work)


class BookingModifyView(PartnerView):
    scopes = {"POST": Scope.BOOKINGS_WRITE}

    @extend_schema(request=ModifyIn, responses=BookingOut, operation_id="bookings_modify")
    def post(self, request: Request, reference: str) -> Response:
        def work() -> Response:
            data = _valid(ModifyIn, request.data)
            info = bookings.find_booking(reference, actor=self.actor)
            changed = bookings.modify_booking(
                booking_id=info.id,
                actor=self.actor,
                expected_version=data["expected_version"],
                check_in=data.get("check_in"),
                check_out=data.get("check_out"),
                rooms=_rooms(data["rooms"]) if "rooms" in data else None,
            )
            return booking_response(changed)

        return self.idempotent(request, work)
