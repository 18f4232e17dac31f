"""Hot querysets of this context, compiled to Oracle SQL offline by ``manage.py oracle_sql``."""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, Value
from django.utils import timezone

from apps.availability.models import Allocation, Inventory, NightRate, Property, RatePlan, RoomType
from apps.availability.selectors.inventory import with_lapsed
from apps.availability.services.inventory import per_row
from booking_platform.db.oracle_offline import HotQuery

NIGHT = date(2030, 1, 1)


def hot_queries() -> list[HotQuery]:
    now = timezone.now()
    slots = Q(room_type_id=1, night__gte=NIGHT, night__lt=date(2030, 1, 4)) | Q(room_type_id=2, night=NIGHT)
    room_types = RoomType.objects.filter(property_id__in=[1], is_active=True)
    amount = per_row({1: 1, 2: 2})
    by_room_type = {"room_type__property_id__in": [1], "room_type__is_active": True}
    return [
        HotQuery(
            "availability: lock inventory rows in global order",
            Inventory.objects.select_for_update().filter(slots).order_by("room_type_id", "night"),
        ),
        HotQuery(
            "availability: lock the rows a key holds (confirm, release), one statement",
            Inventory.objects.select_for_update()
            .filter(pk__in=Allocation.objects.filter(alloc_key="K", state__in=["held", "sold"]).values("inventory_id"))
            .order_by("room_type_id", "night"),
        ),
        HotQuery(
            "availability: price a booking's rooms (plan, room type and property in one join)",
            RatePlan.room_types.through.objects.select_related("rateplan__property", "roomtype").filter(
                rateplan_id__in=[1],
                roomtype_id__in=[1, 2],
                rateplan__property_id=1,
                rateplan__property__is_active=True,
                rateplan__is_active=True,
                roomtype__is_active=True,
            ),
        ),
        HotQuery(
            "availability: lapsed holds on locked rows",
            Allocation.objects.filter(inventory_id__in=[1, 2], state="held", expires_at__lte=now),
        ),
        HotQuery(
            "availability: conditional take (one UPDATE, guarded)",
            Inventory.objects.filter(pk__in=[1, 2], stop_sell=False, sellable__gte=F("sold") + F("held") + amount),
            update={"held": F("held") + amount},
        ),
        HotQuery(
            "availability: confirm hold",
            Inventory.objects.filter(pk__in=[1]),
            update={"held": F("held") - Value(1), "sold": F("sold") + Value(1)},
        ),
        HotQuery("availability: search properties", Property.objects.filter(is_active=True, city__iexact="Berlin")),
        HotQuery("availability: search room types", room_types.order_by("property_id", "sort_order", "id")),
        HotQuery("availability: search rate plans", RatePlan.objects.filter(property_id__in=[1], is_active=True)),
        HotQuery(
            "availability: search plan links by plan id",
            RatePlan.room_types.through.objects.filter(rateplan_id__in=[1, 2]).values_list(
                "rateplan_id", "roomtype_id"
            ),
        ),
        HotQuery(
            "availability: search inventory joined to the room type",
            Inventory.objects.filter(**by_room_type, night__gte=NIGHT, night__lt=date(2030, 1, 31))
            .order_by()
            .values_list("id", "room_type_id", "night", "sellable", "sold", "held", "stop_sell"),
        ),
        HotQuery(
            "availability: search lapsed holds of the stay's rows",
            Allocation.objects.filter(
                inventory__in=Inventory.objects.filter(**by_room_type, night__gte=NIGHT).order_by().values("pk"),
                state="held",
                expires_at__lte=now,
            ).values_list("inventory_id", "units"),
        ),
        HotQuery(
            "availability: search night rates joined to the room type",
            NightRate.objects.filter(**by_room_type, rate_plan_id__in=[1], night__gte=NIGHT, night__lte=NIGHT)
            .order_by()
            .values_list("rate_plan_id", "room_type_id", "night", "price"),
        ),
        HotQuery(
            "availability: search inventory with lapsed holds",
            with_lapsed(Inventory.objects.filter(room_type__in=room_types, night__gte=NIGHT, night__lt=NIGHT), now),
        ),
        HotQuery(
            "availability: search night rates",
            NightRate.objects.filter(
                rate_plan_id__in=[1], room_type__in=room_types, night__gte=NIGHT, night__lte=NIGHT
            ),
        ),
    ]
