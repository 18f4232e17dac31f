"""Search and quote: validate the stay in the property's own calendar, then price it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from apps.availability.domain import NotAvailable, Offer, Quote, invalid, stay_nights
from apps.availability.models import Property
from apps.availability.models.catalogue import CHANNELS
from apps.availability.models.limits import night_window
from apps.availability.selectors.calendar import load_calendar
from apps.availability.selectors.offers import Stay, build_offer, build_offers, guest_problem
from booking_platform.errors import NotFound
from booking_platform.validation import clean_text

MAX_GUESTS = 20
# What search and quote read of a hotel: its clock, currency and taxes (offers never carry the model).
PROPERTY_FIELDS = ("id", "timezone", "currency", "check_in_time", "tax_percent", "city_tax_per_person_night")
SEARCH_PROPERTY_FIELDS = (*PROPERTY_FIELDS, "catalogue_stamp")  # search keys its catalogue copy by the stamp


def max_nights() -> int:
    return int(getattr(settings, "AVAILABILITY_MAX_NIGHTS", 30))


def local_today(timezone_name: str, now: datetime | None = None) -> date:
    """Today's date at the property: what "not in the past" means for its guests."""
    return (now or timezone.now()).astimezone(ZoneInfo(timezone_name)).date()


def validate_stay(*, check_in: date, check_out: date, adults: int, children: int, units: int) -> Stay:
    """Shape checks that need no property; each failure names its field."""
    for name, value in (("check_in", check_in), ("check_out", check_out)):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise invalid(name, "invalid_date", f"{name} must be a date (YYYY-MM-DD).")
    if check_out <= check_in:
        raise invalid("check_out", "check_out_not_after_check_in", "Check-out must be after check-in.")
    if (check_out - check_in).days > max_nights():
        raise invalid("check_out", "stay_too_long", f"A stay is at most {max_nights()} nights.")
    last_night = night_window()[1]
    if check_out - timedelta(days=1) > last_night:
        raise invalid("check_out", "beyond_horizon", f"The calendar is open until {last_night.isoformat()}.")
    for name, value in (("adults", adults), ("children", children), ("rooms", units)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(name, f"invalid_{name}", f"{name} must be a whole number.")
    if not 1 <= adults <= MAX_GUESTS:
        raise invalid("adults", "invalid_adults", f"Adults must be between 1 and {MAX_GUESTS}.")
    if not 0 <= children <= MAX_GUESTS:
        raise invalid("children", "invalid_children", f"Children must be between 0 and {MAX_GUESTS}.")
    if not 1 <= units <= MAX_GUESTS:
        raise invalid("rooms", "invalid_rooms", f"Rooms must be between 1 and {MAX_GUESTS}.")
    nights = tuple(stay_nights(check_in, check_out))
    return Stay(check_in, check_out, nights, adults, children, units)


def check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise invalid("channel", "invalid_channel", f"Channel must be one of {', '.join(CHANNELS)}.")


def _not_past(properties: list[Property], check_in: date) -> list[Property]:
    bookable = [prop for prop in properties if check_in >= local_today(prop.timezone)]
    if properties and not bookable:
        raise invalid("check_in", "check_in_in_past", "Check-in is in the past at the hotel.")
    return bookable


def search(
    *,
    check_in: date,
    check_out: date,
    adults: int = 2,
    children: int = 0,
    rooms: int = 1,
    property_id: int | None = None,
    city: str | None = None,
    channel: str = "web",
) -> list[Offer]:
    """Every room type and rate plan on sale for the stay, bookable or with the reasons it is not.

    Guests are per room. A constant number of queries, whatever the nights and room types.
    """
    stay = validate_stay(check_in=check_in, check_out=check_out, adults=adults, children=children, units=rooms)
    check_channel(channel)
    if property_id is None and not city:
        raise invalid("property_id", "required", "Search one property or a city.")
    if property_id is not None and (isinstance(property_id, bool) or not isinstance(property_id, int)):
        raise invalid("property_id", "invalid", "property_id must be a whole number.")
    filters: dict[str, object] = {"is_active": True}
    if property_id is not None:
        filters["pk"] = property_id
    if city:
        filters["city__iexact"] = clean_text(city, field="city", max_length=120)  # NUL: a DataError on PostgreSQL
    properties = _not_past(list(Property.objects.filter(**filters).only(*SEARCH_PROPERTY_FIELDS).order_by()), check_in)
    if not properties:
        return []
    calendar = load_calendar(
        properties=properties, check_in=check_in, check_out=check_out, guests=(stay.adults, stay.children), cached=True
    )
    return build_offers(calendar, stay, channel=channel)


def _sellable_offer(prop: Property, *, room_type_id: int, rate_plan_id: int, stay: Stay, channel: str) -> Offer:
    """The one offer a quote is for; wrong ids and too many guests are field errors, not reasons."""
    calendar = load_calendar(
        properties=[prop],
        check_in=stay.check_in,
        check_out=stay.check_out,
        room_type_ids=[room_type_id],
        rate_plan_ids=[rate_plan_id],
    )
    if not calendar.room_types:
        raise invalid("room_type_id", "unknown_room_type", "No such room type at this property.")
    room_type = calendar.room_types[0]
    plan = calendar.plans[0] if calendar.plans else None
    if plan is None or (plan.pk, room_type.pk) not in calendar.sells or channel not in (plan.channels or ()):
        raise invalid("rate_plan_id", "unknown_rate_plan", "This rate plan does not sell this room type here.")
    too_many = guest_problem(room_type, stay)
    if too_many:
        field = "children" if stay.children > room_type.max_children else "adults"
        raise invalid(field, "too_many_guests", too_many.message)
    return build_offer(calendar, room_type, plan, stay)


def quote(
    *,
    property_id: int,
    room_type_id: int,
    rate_plan_id: int,
    check_in: date,
    check_out: date,
    adults: int,
    children: int,
    units: int = 1,
    channel: str = "web",
) -> Quote:
    """The locked-in price for one room type and plan; refuses in words if it cannot be sold."""
    stay = validate_stay(check_in=check_in, check_out=check_out, adults=adults, children=children, units=units)
    check_channel(channel)
    for name, value in (("property_id", property_id), ("room_type_id", room_type_id), ("rate_plan_id", rate_plan_id)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(name, "invalid", f"{name} must be a whole number.")
    prop = Property.objects.filter(pk=property_id, is_active=True).only(*PROPERTY_FIELDS).first()
    if prop is None:
        raise NotFound(f"No property {property_id}.", extra={"field": "property_id"})
    _not_past([prop], check_in)
    offer = _sellable_offer(prop, room_type_id=room_type_id, rate_plan_id=rate_plan_id, stay=stay, channel=channel)
    return quote_of(offer, stay)


def quote_of(offer: Offer, stay: Stay, *, left_to_the_take: frozenset[str] = frozenset()) -> Quote:
    """The price an offer locks in, or NotAvailable with its reasons in words.

    ``left_to_the_take``: problem codes someone else judges (a booking's take judges free units under lock).
    """
    problems = [p for p in offer.problems if p.code not in left_to_the_take]
    if problems:
        nights = sorted({p.night.isoformat() for p in problems if p.night})
        raise NotAvailable(
            " ".join(p.message for p in problems), extra={"nights": nights, "reasons": [p.code for p in problems]}
        )
    return Quote(
        property_id=offer.property_id,
        room_type_id=offer.room_type.id,
        room_type_name=offer.room_type.name,
        rate_plan_id=offer.rate_plan_id,
        rate_plan_name=offer.rate_plan_name,
        check_in=stay.check_in,
        check_out=stay.check_out,
        adults=stay.adults,
        children=stay.children,
        units=stay.units,
        nightly=offer.nightly,
        room_total=offer.room_total,
        taxes=offer.taxes,
        total=offer.total,
        currency=offer.currency,
        policy=offer.policy,
        policy_text=offer.policy_text,
    )
