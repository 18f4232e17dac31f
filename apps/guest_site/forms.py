"""Forms: shape checks here, business rules in the services (their ValidationFailed lands on the field)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

MAX_GUESTS = 20


class DateInput(forms.DateInput):
    """The browser's own date picker (ISO values work in every language)."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _dates_in_order(form: forms.Form) -> None:
    check_in, check_out = form.cleaned_data.get("check_in"), form.cleaned_data.get("check_out")
    if check_in and check_out and check_out <= check_in:
        form.add_error("check_out", _("Check-out must be after check-in."))


class StayFields(forms.Form):
    check_in = forms.DateField(label=_("Check-in"), widget=DateInput())
    check_out = forms.DateField(label=_("Check-out"), widget=DateInput())
    adults = forms.IntegerField(label=_("Adults"), min_value=1, max_value=MAX_GUESTS, initial=2)
    children = forms.IntegerField(label=_("Children"), min_value=0, max_value=MAX_GUESTS, initial=0)

    def clean(self) -> dict:
        cleaned = super().clean()
        _dates_in_order(self)
        return cleaned


class SearchForm(StayFields):
    where = forms.ChoiceField(label=_("Where"))
    rooms = forms.IntegerField(label=_("Rooms"), min_value=1, max_value=MAX_GUESTS, initial=1)
    field_order = ["where", "check_in", "check_out", "adults", "children", "rooms"]

    def __init__(self, *args, places: list[tuple[str, str]], today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = places
        self.fields["where"].initial = places[0][0] if places else ""
        self.fields["check_in"].initial = today
        self.fields["check_out"].initial = today + timedelta(days=1)


class OfferForm(StayFields):
    """What the guest picked on the results page; carried along as hidden fields until the hold."""

    property = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    room_type = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    rate_plan = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    rooms = forms.IntegerField(min_value=1, max_value=MAX_GUESTS, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("check_in", "check_out", "adults", "children"):
            self.fields[name].widget = forms.HiddenInput()


class GuestForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, help_text=_("With country code, e.g. +49 30 1234567.")
    )
    country = forms.ChoiceField(label=_("Country"))
    special_requests = forms.CharField(
        label=_("Special requests"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose your country")), *countries]
        widgets = {"first_name": "given-name", "last_name": "family-name", "email": "email", "phone": "tel"}
        for name, hint in widgets.items():
            self.fields[name].widget.attrs["autocomplete"] = hint
        self.fields["country"].widget.attrs["autocomplete"] = "country"


class LookupForm(forms.Form):
    reference = forms.CharField(label=_("Booking reference"), max_length=20, help_text=_("For example K7M-4QX-9TRA."))
    email = forms.EmailField(label=_("Email used for the booking"), max_length=254)


class ChangeForm(StayFields):
    """New dates and guests per room for a confirmed booking, against the version the guest saw."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
