"""Home (the search form and the hotels) and the results page."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.availability import interface as availability
from apps.guest_site import offers as shop
from apps.guest_site.errors import add_service_error
from apps.guest_site.forms import SearchForm
from apps.guest_site.views.pages import search_link
from booking_platform.errors import ApplicationError


def _today(hotels: list[availability.PropertyInfo]) -> date:
    return availability.local_today(hotels[0].timezone) if hotels else timezone.localdate()


def _form(request: HttpRequest, hotels: list[availability.PropertyInfo], *, bound: bool) -> SearchForm:
    data = request.GET if bound else None
    return SearchForm(data, places=shop.places(hotels), today=_today(hotels))


def home(request: HttpRequest) -> HttpResponse:
    """The search form with sensible defaults (tonight, one night, two adults) and the group's hotels."""
    hotels = availability.active_properties()
    return render(request, "guest_site/home.html", {"form": _form(request, hotels, bound=False), **_cards(hotels)})


def _cards(hotels: list[availability.PropertyInfo]) -> dict:
    """Each hotel with its first photos and a link to tonight's rooms and rates."""
    photos = availability.property_photos(property_ids=[hotel.id for hotel in hotels])
    today = _today(hotels)
    stay = {"check_in": today, "check_out": today + timedelta(days=1), "adults": 2, "children": 0, "rooms": 1}
    cards = [(hotel, photos.get(hotel.id, ())[:1], search_link({**stay, "property": hotel.id})) for hotel in hotels]
    return {"hotels": hotels, "cards": cards}


def results(request: HttpRequest) -> HttpResponse:
    hotels = availability.active_properties()
    form = _form(request, hotels, bound=True)
    offers: list[availability.Offer] = []
    if form.is_valid():
        try:
            offers = availability.search(**_search_args(form))
        except ApplicationError as exc:
            add_service_error(form, exc)
    if not form.is_valid():
        return render(request, "guest_site/home.html", {"form": form, **_cards(hotels)}, status=400)
    by_id = {hotel.id: hotel for hotel in hotels}
    context = {"form": form, "results": shop.group(offers, by_id), "stay": form.cleaned_data}
    context["nights"] = (form.cleaned_data["check_out"] - form.cleaned_data["check_in"]).days
    if not any(offer.bookable for offer in offers):
        context.update(_suggestions(form, by_id, _today(hotels)))
    return render(request, "guest_site/results.html", context)


def _search_args(form: SearchForm) -> dict:
    data = form.cleaned_data
    where = shop.Where.parse(data["where"])
    guests = {"adults": data["adults"], "children": data["children"], "rooms": data["rooms"]}
    return {"check_in": data["check_in"], "check_out": data["check_out"], **guests, **where.search_kwargs()}


def _suggestions(form: SearchForm, hotels: dict[int, availability.PropertyInfo], today: date) -> dict:
    """Nothing fits: nearby dates at the same place, and for one hotel its sisters in the same city."""
    data = form.cleaned_data
    where = shop.Where.parse(data["where"])
    guests = {"adults": data["adults"], "children": data["children"], "rooms": data["rooms"]}
    nearby = shop.nearby_stays(
        where=where, check_in=data["check_in"], check_out=data["check_out"], today=today, **guests
    )
    sisters = []
    if where.property_id in hotels:
        sisters = shop.sister_hotels(
            hotel=hotels[where.property_id], hotels=hotels, check_in=data["check_in"], check_out=data["check_out"],
            **guests,
        )  # fmt: skip
    return {"nearby": nearby, "sisters": sisters}
