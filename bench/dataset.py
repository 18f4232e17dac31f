"""The benchmark dataset, built through the availability services (runs inside Django).

One large property (50 room types x 365 nights, two rate plans; deep inventory so a run never
sells out and every level books the same 100 two-night slots), twenty small ones in the same
city, a race property whose room types have ONE unit a night (the last-unit trials), a pool of
guest profiles, and the ids the load scripts need.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from apps.availability.models import Property, RatePlan, RoomType
from apps.availability.selectors.search import local_today
from apps.availability.services.ari import inventory_update
from apps.availability.services.calendar import inventory_extend, room_types_to_extend
from apps.customers import interface as customers

BIG_ROOM_TYPES = 50
BIG_UNITS = 10_000  # the sellable ceiling (limits.MAX_SELLABLE); a full run takes a few hundred a night
SLOTS = 100  # (room type, check-in) pairs every booking level draws from
STAY_NIGHTS = 2
SMALL_PROPERTIES = 20
SMALL_ROOM_TYPES = 4
RACE_ROOM_TYPES = 14  # last-unit trials: 4 each for service and API, 2 each for naive, raw SQL and guest site
NIGHTS = 365
GUESTS = 200
TZ = "UTC"  # nights and "today" agree with the load generator's clock


@dataclass(frozen=True)
class Dataset:
    """Ids the load scripts and race client need (JSON round-trip through the harness)."""

    today: str
    big_property_id: int
    big_room_type_ids: list[int]
    big_rate_plan_id: int
    race_property_id: int
    race_room_type_ids: list[int]
    race_rate_plan_id: int
    customer_ids: list[int]

    def as_dict(self) -> dict:
        return asdict(self)


def _property(slug: str, name: str, room_types: int, units: int, *, prefix: str = "RT") -> tuple[Property, RatePlan]:
    prop = Property.objects.create(
        name=name, slug=slug, city="Benchburg", country="DE", timezone=TZ, currency="EUR",
        tax_percent=Decimal("7.00"), city_tax_per_person_night=Decimal("2.00"),
    )  # fmt: skip
    types = [
        RoomType.objects.create(
            property=prop,
            code=f"{prefix}{n:02d}",
            name=f"Room type {n}",
            sort_order=n,
            default_price=Decimal(100 + n),
            max_adults=2,
            max_children=1,
            max_occupancy=3,
        )
        for n in range(room_types)
    ]
    flexible = RatePlan.objects.create(property=prop, code="FLEX", name="Flexible", free_until_hours=48)
    breakfast = RatePlan.objects.create(
        property=prop, code="BB", name="Bed & Breakfast", meal_plan=RatePlan.MealPlan.BREAKFAST, free_until_hours=24
    )
    for plan in (flexible, breakfast):
        plan.room_types.set(types)
    inventory_extend(days=NIGHTS, room_types=room_types_to_extend([prop.pk]))
    today = local_today(TZ)
    inventory_update(
        room_type_ids=[t.pk for t in types], date_from=today, date_to=today + timedelta(days=NIGHTS - 1), sellable=units
    )
    return prop, flexible


def dataset_seed() -> Dataset:
    """Create everything once on an empty database (the harness drops and recreates it per run)."""
    with transaction.atomic():
        big, big_plan = _property("bench-grand", "Bench Grand", BIG_ROOM_TYPES, BIG_UNITS)
        for n in range(SMALL_PROPERTIES):
            _property(f"bench-small-{n}", f"Bench Small {n}", SMALL_ROOM_TYPES, 5)
        race, race_plan = _property("bench-race", "Bench Race", RACE_ROOM_TYPES, 1, prefix="RC")
    guests = [
        customers.upsert_customer(email=f"guest{n}@bench.example", first_name="Bench", last_name=f"Guest {n}").id
        for n in range(GUESTS)
    ]
    return Dataset(
        today=local_today(TZ).isoformat(),
        big_property_id=big.pk,
        big_room_type_ids=list(big.room_types.order_by("id").values_list("id", flat=True)),
        big_rate_plan_id=big_plan.pk,
        race_property_id=race.pk,
        race_room_type_ids=list(race.room_types.order_by("id").values_list("id", flat=True)),
        race_rate_plan_id=race_plan.pk,
        customer_ids=guests,
    )


def booking_slots(dataset: Dataset) -> list[tuple[int, date]]:
    """The (room type, check-in) pairs L0, L1 and L2 book, so their lock contention is the same."""
    today = date.fromisoformat(dataset.today)
    types = dataset.big_room_type_ids
    return [(types[n % len(types)], today + timedelta(days=7 + 3 * (n // len(types)))) for n in range(SLOTS)]
