from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.availability.interface import local_today, search
from apps.availability.models import Inventory, NightRate, Property, RatePlan, RoomTypePhoto
from apps.availability.tasks import extend_inventory
from apps.availability.tests.factories import RatePlanFactory, RoomFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db


def test_extend_inventory_creates_only_missing_nights() -> None:
    room_type = RoomTypeFactory()
    RoomFactory.create_batch(2, room_type=room_type)
    RatePlanFactory(property=room_type.property, room_types=[room_type])
    RatePlanFactory(property=room_type.property, parent=RatePlan.objects.first(), derivation_kind="amount",
                    room_types=[room_type])  # fmt: skip
    out = StringIO()
    call_command("extend_inventory", "--days", "5", stdout=out)
    assert out.getvalue() == "extend_inventory: 5 inventory nights and 5 rate nights created for 1 room types.\n"
    Inventory.objects.update(sellable=1)
    call_command("extend_inventory", "--days", "7", stdout=out)
    assert list(Inventory.objects.order_by("night").values_list("sellable", flat=True)) == [1] * 5 + [2] * 2
    assert NightRate.objects.count() == 7  # the derived plan prices off its parent: no rows of its own


def test_extend_task_is_registered_for_beat(settings) -> None:
    RoomTypeFactory()
    assert extend_inventory.name == "availability.extend_inventory"
    assert settings.CELERY_BEAT_SCHEDULE["availability.extend_inventory"]["task"] == extend_inventory.name
    assert extend_inventory.delay(days=3).get() == {"inventory_created": 3, "rates_created": 0}


def test_seed_demo_builds_the_hotel_once(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert text.count("Staff superuser: admin / ") == 1
    assert "Demo hotel exists already" in text
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    prop = Property.objects.get(slug="demo-berlin")
    assert prop.room_types.count() == 4
    assert RatePlan.objects.filter(parent__isnull=False).count() == 1
    assert RoomTypePhoto.objects.filter(room_type__property=prop).count() == 8
    sister = Property.objects.get(slug="demo-berlin-spree")
    assert (sister.city, sister.room_types.count(), RoomTypePhoto.objects.count()) == ("Berlin", 2, 10)
    assert (tmp_path / RoomTypePhoto.objects.first().image.name).read_bytes().startswith(b"\x89PNG")
    assert Inventory.objects.filter(room_type__property=prop).count() == 4 * 365
    assert not Inventory.objects.exclude(sold=0).exists()
    sold_out = local_today(prop.timezone) + timedelta(days=10)
    offers = search(property_id=prop.pk, check_in=sold_out, check_out=sold_out + timedelta(days=1), adults=2)
    assert offers
    assert {offer.problems[0].code for offer in offers} == {"sold_out"}
    assert NightRate.objects.filter(min_stay_arrival=2).exists()
    assert NightRate.objects.filter(closed_to_arrival=True).exists()


def test_admin_pages_render(admin_client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    for model in ("property", "roomtype", "room", "rateplan", "inventory", "nightrate", "allocation"):
        response = admin_client.get(f"/{settings.ADMIN_URL}availability/{model}/")
        assert response.status_code == 200, model
