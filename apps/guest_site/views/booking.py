"""Booking: guest details and a hold, then confirmation. Submitting twice never makes two bookings."""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from apps.customers import interface as customers
from apps.guest_site import access
from apps.guest_site.errors import add_service_error, error_text
from apps.guest_site.forms import GuestForm, OfferForm
from apps.guest_site.views.pages import booking_context, expired_page, lookup_page, search_link
from booking_platform.errors import ApplicationError, ValidationFailed

CLAIM_WAIT_SECONDS = 10
DETAILS_KEY = "guest_site.details"  # kept server-side in the session, never in a URL
DETAILS = ("first_name", "last_name", "email", "phone", "country", "special_requests")


def _quote(offer: OfferForm) -> availability.Quote:
    data = offer.cleaned_data
    return availability.quote(
        property_id=data["property"], room_type_id=data["room_type"], rate_plan_id=data["rate_plan"],
        check_in=data["check_in"], check_out=data["check_out"], adults=data["adults"], children=data["children"],
        units=data["rooms"],
    )  # fmt: skip


def _page(request: HttpRequest, offer: OfferForm, guest: GuestForm, quote, *, status: int = 200, taken: str = ""):
    hotel = availability.get_property(offer.cleaned_data["property"])
    context = {"offer": offer, "form": guest, "quote": quote, "hotel": hotel, "taken": taken}
    context["search_url"] = search_link(offer.cleaned_data)
    return render(request, "guest_site/book.html", context, status=status)


def book(request: HttpRequest) -> HttpResponse:
    offer = OfferForm(request.POST if request.method == "POST" else request.GET)
    if not offer.is_valid():
        return render(request, "guest_site/unavailable.html", {"search_url": "/"}, status=400)
    if request.method != "POST":
        try:
            quote = _quote(offer)
        except ApplicationError as exc:
            return _unavailable(request, offer, exc)
        typed = request.session.get(DETAILS_KEY, {})  # what the guest typed before, e.g. when a room was taken
        return _page(request, offer, GuestForm(initial={**typed, "form_token": secrets.token_urlsafe(24)}), quote)
    guest = GuestForm(request.POST)
    _remember(request)
    if not guest.is_valid():
        return _refused(request, offer, guest, status=400)
    return _hold_once(request, offer, guest)


def _unavailable(request: HttpRequest, offer: OfferForm, exc: ApplicationError) -> HttpResponse:
    context = {"message": error_text(exc), "search_url": search_link(offer.cleaned_data)}
    return render(request, "guest_site/unavailable.html", context, status=exc.http_status)


def _refused(request: HttpRequest, offer: OfferForm, guest: GuestForm, *, status: int, taken: str = "") -> HttpResponse:
    """A submit that held nothing: priced only now (a hold prices for itself, so success never quotes).

    An offer the quote refuses is the unavailable page, as when the details page was opened; else the
    details page again with the guest's errors or why the room could not be held."""
    try:
        quote = _quote(offer)
    except ApplicationError as exc:
        return _unavailable(request, offer, exc)
    return _page(request, offer, guest, quote, status=status, taken=taken)


def _remember(request: HttpRequest) -> None:
    request.session[DETAILS_KEY] = {name: request.POST.get(name, "")[:1000] for name in DETAILS}


def _claim_key(token: str) -> str:
    return f"guest_site:form:{token}"


def _hold_once(request: HttpRequest, offer: OfferForm, guest: GuestForm) -> HttpResponse:
    """The form's token is claimed in the cache before anything is held: a second submit waits for the first."""
    key = _claim_key(guest.cleaned_data["form_token"])
    if not cache.add(key, 0, timeout=settings.BOOKING_HOLD_MINUTES * 60 + 300):
        return _follow_claim(request, key)
    try:
        booking = _hold(offer, guest)
    except ApplicationError as exc:
        cache.delete(key)
        if isinstance(exc, ValidationFailed):
            add_service_error(guest, exc)
            return _refused(request, offer, guest, status=400)
        return _refused(request, offer, guest, status=exc.http_status, taken=error_text(exc))
    cache.set(key, booking.id, timeout=settings.BOOKING_HOLD_MINUTES * 60 + 300)
    access.grant(request, booking.id)
    return redirect("guest_site:booking", reference=booking.reference)


def _follow_claim(request: HttpRequest, key: str) -> HttpResponse:
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    booking_id = cache.get(key)
    while booking_id == 0 and time.monotonic() < deadline:  # 0: the first submit is still placing the hold
        time.sleep(0.1)
        booking_id = cache.get(key)
    if not booking_id:  # the first submit failed (it said why) or is stuck: nothing was held twice
        return render(request, "guest_site/unavailable.html", {"search_url": "/"}, status=409)
    booking = bookings.get_booking(booking_id)
    access.grant(request, booking.id)
    return redirect("guest_site:booking", reference=booking.reference)


def _hold(offer: OfferForm, guest: GuestForm) -> bookings.BookingInfo:
    data, person = offer.cleaned_data, guest.cleaned_data
    language = (get_language() or settings.LANGUAGE_CODE)[:8]
    customer = customers.upsert_customer(
        email=person["email"], first_name=person["first_name"], last_name=person["last_name"],
        phone=person["phone"], country=person["country"], language=language,
    )  # fmt: skip
    room = bookings.RoomRequest(
        room_type_id=data["room_type"], rate_plan_id=data["rate_plan"], adults=data["adults"],
        children=data["children"], guest_name=f"{person['first_name']} {person['last_name']}",
    )  # fmt: skip
    request = bookings.StayRequest(
        property_id=data["property"], customer_id=customer.id, check_in=data["check_in"], check_out=data["check_out"],
        rooms=[room] * data["rooms"], channel="web", language=language, special_requests=person["special_requests"],
    )  # fmt: skip
    return bookings.hold_booking(request=request, actor=bookings.Actor.guest(customer.id), guest=customer)


@require_POST
def confirm(request: HttpRequest, reference: str) -> HttpResponse:
    """Confirming a confirmed booking (double click, back button) just shows the confirmation."""
    booking = access.granted_booking(request, reference)
    if booking is None:
        return lookup_page(request, reference=reference)
    if booking.status == "held":
        try:
            booking = bookings.confirm_booking(booking_id=booking.id, actor=bookings.Actor.guest(booking.customer_id))
        except ApplicationError:
            booking = bookings.get_booking(booking.id)
    if booking.status != "confirmed":
        return expired_page(request, booking)
    return redirect("guest_site:confirmed", reference=booking.reference)


def confirmed(request: HttpRequest, reference: str) -> HttpResponse:
    booking = access.granted_booking(request, reference)
    if booking is None:
        return lookup_page(request, reference=reference)
    if booking.status != "confirmed":
        return redirect("guest_site:booking", reference=booking.reference)
    return render(request, "guest_site/confirmed.html", booking_context(booking))
