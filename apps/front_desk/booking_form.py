"""New booking by staff (walk-in or phone): dates, room type, rate plan, guest (existing by email
or new), the price first, then book. Booking goes through ``bookings.book`` with channel "staff",
so the confirmation email goes out exactly as for a web booking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from apps.customers import interface as customers
from apps.front_desk.scope import user_properties
from booking_platform.errors import ApplicationError

GUEST_FIELDS = ("email", "first_name", "last_name", "phone", "country", "language")


class StaffBookingForm(forms.Form):
    room_type = forms.TypedChoiceField(coerce=int, label="Room type")
    rate_plan = forms.TypedChoiceField(coerce=int, label="Rate plan")
    check_in = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    check_out = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    rooms = forms.IntegerField(min_value=1, max_value=9, initial=1)
    adults = forms.IntegerField(min_value=1, max_value=9, initial=2, help_text="per room")
    children = forms.IntegerField(min_value=0, max_value=9, initial=0, help_text="per room")
    email = forms.EmailField(help_text="An existing guest is found by email; a new one is created.")
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    phone = forms.CharField(max_length=30, required=False)
    country = forms.CharField(max_length=2, required=False)
    language = forms.CharField(max_length=8, initial="en")
    special_requests = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def __init__(self, *args: Any, properties: dict, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = list(properties)
        names = {pk: prop.name for pk, prop in properties.items()}
        multi = len(ids) > 1
        self.room_types = {rt.id: rt for rt in availability.room_types_of_properties(ids)}
        self.plans = {plan.id: plan for plan in availability.rate_plans_of_properties(ids)}
        self.fields["room_type"].choices = [
            (rt.id, f"{names[rt.property_id]}: {rt.name}" if multi else rt.name) for rt in self.room_types.values()
        ]
        self.fields["rate_plan"].choices = [
            (p.id, f"{names[p.property_id]}: {p.name}" if multi else p.name) for p in self.plans.values()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        room_type, plan = self.room_types.get(data.get("room_type")), self.plans.get(data.get("rate_plan"))
        if room_type and plan and room_type.property_id != plan.property_id:
            self.add_error("rate_plan", "Choose a rate plan of the room type's property.")
        return data

    def quote(self) -> availability.Quote:
        data = self.cleaned_data
        return availability.quote(
            property_id=self.room_types[data["room_type"]].property_id,
            room_type_id=data["room_type"],
            rate_plan_id=data["rate_plan"],
            check_in=data["check_in"],
            check_out=data["check_out"],
            adults=data["adults"],
            children=data["children"],
            units=data["rooms"],
        )

    def book(self, *, user_id: int) -> bookings.BookingInfo:
        """Guest profile and booking in one transaction: a refused booking leaves no new profile behind."""
        with transaction.atomic():
            return self._book(user_id=user_id)

    def _book(self, *, user_id: int) -> bookings.BookingInfo:
        data = self.cleaned_data
        guest = customers.upsert_customer(**{name: data[name] for name in GUEST_FIELDS})
        room = bookings.RoomRequest(
            room_type_id=data["room_type"],
            rate_plan_id=data["rate_plan"],
            adults=data["adults"],
            children=data["children"],
        )
        request = bookings.StayRequest(
            property_id=self.room_types[data["room_type"]].property_id,
            customer_id=guest.id,
            check_in=data["check_in"],
            check_out=data["check_out"],
            rooms=[room] * data["rooms"],
            channel="staff",
            language=data["language"],
            special_requests=data["special_requests"],
        )
        return bookings.book(request=request, actor=bookings.Actor.staff(user_id))


def _refusal(form: StaffBookingForm, exc: ApplicationError) -> None:
    field = exc.extra.get("field", "")
    field = {"room_type_id": "room_type", "rate_plan_id": "rate_plan", "units": "rooms"}.get(field, field)
    form.add_error(field if field in form.fields else None, exc.message)


def new_booking_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("bookings.add_booking"):
        raise PermissionDenied
    properties = user_properties(request)
    form = StaffBookingForm(request.POST or None, properties=properties)
    quote = None
    if request.method == "POST" and form.is_valid():
        try:
            quote = form.quote()
            if "book" in request.POST:
                info = form.book(user_id=request.user.pk)
                messages.success(request, f"Booked {info.reference}: {info.total} {info.currency}. Confirmation sent.")
                return HttpResponseRedirect(reverse("admin:bookings_booking_change", args=[info.id]))
        except ApplicationError as exc:
            _refusal(form, exc)
            quote = None
    context = {
        **admin.site.each_context(request),
        "title": "New booking",
        "form": form,
        "quote": quote,
    }
    return TemplateResponse(request, "front_desk/new_booking.html", context)
