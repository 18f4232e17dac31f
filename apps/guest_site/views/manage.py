"""Manage my booking: look it up (reference + email, or the secret link), see it, change or cancel it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.bookings import interface as bookings
from apps.bookings.interface import BookingInfo
from apps.guest_site import access
from apps.guest_site.errors import add_service_error, error_text
from apps.guest_site.forms import ChangeForm, LookupForm
from apps.guest_site.presenters import money
from apps.guest_site.views.pages import booking_context, expired_page, lookup_page
from booking_platform.errors import ApplicationError, ValidationFailed


def _refused(request: HttpRequest, reference: str) -> HttpResponse:
    """Wrong reference, wrong email or wrong secret: one and the same answer (the email is never echoed)."""
    access.count_failure(request)
    error = _("We could not find a booking with these details. Check the reference and the email.")
    return lookup_page(request, reference=reference, error=error, status=404)


def _throttled(request: HttpRequest) -> HttpResponse:
    error = _("Too many attempts. Please wait a few minutes and try again.")
    return lookup_page(request, error=error, status=429)


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return lookup_page(request)
    if access.throttled(request):
        return _throttled(request)
    form = LookupForm(request.POST)
    if not form.is_valid():
        return lookup_page(request, form=form, status=400)
    booking = access.booking_for_guest(reference=form.cleaned_data["reference"], email=form.cleaned_data["email"])
    if booking is None:
        return _refused(request, form.cleaned_data["reference"])
    access.grant(request, booking.id)
    return redirect("guest_site:booking", reference=booking.reference)


def _secret_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    """The email's link (``?key=``): grant this browser, then move to the plain address (secret out of the URL bar)."""
    if access.throttled(request):
        return _throttled(request)
    booking = access.booking_by_secret(reference=reference, token=token)
    if booking is None:
        return _refused(request, reference)
    access.grant(request, booking.id)
    return redirect("guest_site:booking", reference=booking.reference)


def booking_page(request: HttpRequest, reference: str) -> HttpResponse:
    """A hold (review and confirm, with its countdown) or a booking (details, change, cancel)."""
    if "key" in request.GET:
        return _secret_link(request, reference, request.GET["key"][:64])
    booking = access.granted_booking(request, reference)
    if booking is None:
        return lookup_page(request, reference=reference)
    context = booking_context(booking)
    if booking.status == "held" and not context["lapsed"]:
        return render(request, "guest_site/hold.html", context)
    if booking.status in ("held", "expired"):
        return expired_page(request, booking)
    return render(request, "guest_site/manage.html", context)


def _manageable(request: HttpRequest, reference: str) -> BookingInfo | HttpResponse:
    booking = access.granted_booking(request, reference)
    if booking is None:
        return lookup_page(request, reference=reference)
    if booking.status != "confirmed":
        return redirect("guest_site:booking", reference=booking.reference)
    return booking


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    """The fee is shown before the guest confirms; cancel_booking charges by the same rule."""
    booking = _manageable(request, reference)
    if isinstance(booking, HttpResponse):
        return booking
    actor = bookings.Actor.guest(booking.customer_id)
    if request.method == "POST":
        try:
            done = bookings.cancel_booking(booking_id=booking.id, actor=actor)
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
        else:
            fee = money(done.cancellation_fee, done.currency)
            messages.success(request, _("Your booking is cancelled. Cancellation fee: %(fee)s.") % {"fee": fee})
        return redirect("guest_site:booking", reference=booking.reference)
    context = booking_context(booking) | {"fee": bookings.cancellation_fee(booking_id=booking.id, actor=actor)}
    return render(request, "guest_site/cancel.html", context)


@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, reference: str) -> HttpResponse:
    """New dates and guests, re-priced; refused cleanly (nothing changed) when the rooms are not free."""
    booking = _manageable(request, reference)
    if isinstance(booking, HttpResponse):
        return booking
    first = booking.rooms[0]
    initial = {"check_in": booking.check_in, "check_out": booking.check_out, "version": booking.version}
    form = ChangeForm(request.POST or None, initial=initial | {"adults": first.adults, "children": first.children})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changed = _modify(booking, form)
            if changed is not None:
                total = money(changed.total, changed.currency)
                messages.success(request, _("Your booking is changed. New total: %(total)s.") % {"total": total})
                return redirect("guest_site:booking", reference=changed.reference)
        status = 409 if form.non_field_errors() else 400
    return render(request, "guest_site/change.html", booking_context(booking) | {"form": form}, status=status)


def _modify(booking: BookingInfo, form: ChangeForm) -> BookingInfo | None:
    data = form.cleaned_data
    rooms = [
        bookings.RoomRequest(
            room_type_id=room.room_type_id,
            rate_plan_id=room.rate_plan_id,
            adults=data["adults"],
            children=data["children"],
            guest_name=room.guest_name,
        )
        for room in booking.rooms
    ]
    try:
        return bookings.modify_booking(
            booking_id=booking.id, actor=bookings.Actor.guest(booking.customer_id), expected_version=data["version"],
            check_in=data["check_in"], check_out=data["check_out"], rooms=rooms,
        )  # fmt: skip
    except ValidationFailed as exc:
        add_service_error(form, exc)
    except ApplicationError as exc:
        form.add_error(None, _("Not possible for these dates and guests: %(why)s Your booking is unchanged.")
                       % {"why": error_text(exc)})  # fmt: skip
    return None
