"""Nights, "today" and cancellation deadlines are the property's own, whatever UTC says."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.availability.domain import CancellationPolicy
from apps.availability.interface import local_today, quote, search
from apps.availability.models import Inventory
from apps.availability.services.calendar import inventory_extend
from apps.availability.tests.factories import PropertyFactory, RatePlanFactory, RoomTypeFactory, open_calendar
from booking_platform.errors import ValidationFailed

UTC = ZoneInfo("UTC")
NOW = datetime(2030, 1, 1, 10, 30, tzinfo=UTC)  # already 2 Jan in Kiritimati, still 31 Dec in Pago Pago


def test_local_today_far_from_utc() -> None:
    assert local_today("Pacific/Kiritimati", NOW) == date(2030, 1, 2)
    assert local_today("Pacific/Pago_Pago", NOW) == date(2029, 12, 31)
    assert local_today("Europe/Berlin", NOW) == date(2030, 1, 1)


@pytest.mark.parametrize(
    ("check_in", "hours", "expected"),
    [
        # Spring forward (29 Mar 2026, 02:00 -> 03:00): 48 real hours before 15:00 CEST is 14:00 CET.
        (date(2026, 3, 30), 48, datetime(2026, 3, 28, 14, 0)),
        # Fall back (25 Oct 2026, 03:00 -> 02:00): 48 real hours before 15:00 CET is 16:00 CEST.
        (date(2026, 10, 26), 48, datetime(2026, 10, 24, 16, 0)),
        # Same day as the change: 24 h before 15:00 on the Sunday is 14:00 Saturday.
        (date(2026, 3, 29), 24, datetime(2026, 3, 28, 14, 0)),
        # No change in between: wall clock and real hours agree.
        (date(2026, 5, 10), 48, datetime(2026, 5, 8, 15, 0)),
    ],
)
def test_deadline_counts_real_hours_across_dst(check_in, hours, expected) -> None:
    policy = CancellationPolicy(kind="free_cancellation", free_until_hours=hours, fee_kind="first_night")
    deadline = policy.free_until(check_in=check_in, check_in_time=time(15), timezone="Europe/Berlin")
    assert deadline.replace(tzinfo=None) == expected
    assert deadline.utcoffset() == ZoneInfo("Europe/Berlin").utcoffset(expected)


@pytest.mark.parametrize(
    ("zone", "hours", "text", "utc"),
    [
        ("Pacific/Kiritimati", 2, "2 Jan 2030 13:00", datetime(2030, 1, 1, 23, 0, tzinfo=UTC)),
        ("Pacific/Pago_Pago", 16, "1 Jan 2030 23:00", datetime(2030, 1, 2, 10, 0, tzinfo=UTC)),
    ],
)
def test_deadline_far_from_utc_is_in_hotel_time(zone, hours, text, utc) -> None:
    policy = CancellationPolicy(kind="free_cancellation", free_until_hours=hours, fee_kind="percent",
                                fee_percent=Decimal("25"))  # fmt: skip
    assert policy.free_until(check_in=date(2030, 1, 2), check_in_time=time(15), timezone=zone) == utc
    words = policy.describe(check_in=date(2030, 1, 2), check_in_time=time(15), timezone=zone)
    assert words == f"Free cancellation until {text} (hotel time); after that 25% of the stay is charged."


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "first_bookable"),
    [("Pacific/Kiritimati", date(2030, 1, 2)), ("Pacific/Pago_Pago", date(2029, 12, 31))],
)
def test_search_refuses_yesterday_in_hotel_time(frozen_now, zone, first_bookable) -> None:
    prop = PropertyFactory(timezone=zone, city="Pacific")
    room_type = RoomTypeFactory(property=prop)
    plan = RatePlanFactory(property=prop, room_types=[room_type])
    open_calendar(room_type, first_bookable - timedelta(days=1), 3, plans=(plan,))
    with pytest.raises(ValidationFailed) as caught:
        search(property_id=prop.pk, check_in=first_bookable - timedelta(days=1), check_out=first_bookable)
    assert caught.value.extra == {"field": "check_in"}
    offers = search(property_id=prop.pk, check_in=first_bookable, check_out=first_bookable + timedelta(days=1))
    assert [offer.nightly[0][0] for offer in offers] == [first_bookable]


@pytest.mark.django_db
def test_extend_starts_at_each_hotels_own_today() -> None:
    kiritimati = RoomTypeFactory(property=PropertyFactory(timezone="Pacific/Kiritimati"))
    pago_pago = RoomTypeFactory(property=PropertyFactory(timezone="Pacific/Pago_Pago"))
    inventory_extend(days=2, now=NOW)
    nights = Inventory.objects.order_by("room_type_id", "night").values_list("room_type_id", "night")
    assert list(nights) == [
        (kiritimati.pk, date(2030, 1, 2)),
        (kiritimati.pk, date(2030, 1, 3)),
        (pago_pago.pk, date(2029, 12, 31)),
        (pago_pago.pk, date(2030, 1, 1)),
    ]


@pytest.mark.django_db
def test_quote_across_spring_forward_shows_the_local_deadline(frozen_now) -> None:
    prop = PropertyFactory(timezone="Europe/Berlin", check_in_time=time(15))
    room_type = RoomTypeFactory(property=prop)
    plan = RatePlanFactory(property=prop, room_types=[room_type], free_until_hours=48)
    open_calendar(room_type, date(2030, 3, 30), 3, plans=(plan,))  # 31 Mar 2030 is the last Sunday of March
    result = quote(property_id=prop.pk, room_type_id=room_type.pk, rate_plan_id=plan.pk, check_in=date(2030, 4, 1),
                   check_out=date(2030, 4, 2), adults=2, children=0)  # fmt: skip
    assert result.policy_text == (
        "Free cancellation until 30 Mar 2030 14:00 (hotel time); after that the first night is charged."
    )


@pytest.mark.django_db
def test_a_free_plan_saved_without_hours_is_free_until_arrival_and_searches_still_answer(frozen_now) -> None:
    """The admin refuses such a plan, the database does not: search and quote used to fail on it (500)."""
    prop = PropertyFactory(timezone="Europe/Berlin", check_in_time=time(15))
    room_type = RoomTypeFactory(property=prop)
    plan = RatePlanFactory(property=prop, room_types=[room_type])
    open_calendar(room_type, date(2030, 2, 1), 3, plans=(plan,))
    type(plan).objects.filter(pk=plan.pk).update(free_until_hours=None)
    policy = CancellationPolicy(kind="free_cancellation", free_until_hours=None, fee_kind="first_night")
    arrival = datetime(2030, 2, 2, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert policy.free_until(check_in=date(2030, 2, 2), check_in_time=time(15), timezone="Europe/Berlin") == arrival
    words = "Free cancellation until 2 Feb 2030 15:00 (hotel time); after that the first night is charged."
    [offer] = search(property_id=prop.pk, check_in=date(2030, 2, 2), check_out=date(2030, 2, 3))
    assert (offer.bookable, offer.policy_text) == (True, words)
    result = quote(property_id=prop.pk, room_type_id=room_type.pk, rate_plan_id=plan.pk, check_in=date(2030, 2, 2),
                   check_out=date(2030, 2, 3), adults=2, children=0)  # fmt: skip
    assert result.policy_text == words
