from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.bookings.models import Booking, Status
from apps.bookings.services.hold import booking_hold
from apps.bookings.tasks import release_expired_holds
from apps.bookings.tests.helpers import counts, events, stay

pytestmark = pytest.mark.django_db


def held(hotel):
    return booking_hold(request=stay(hotel, nights=1), actor=hotel.guest)


def test_command_expires_lapsed_holds(hotel, clock) -> None:
    booking = held(hotel)
    out = StringIO()
    call_command("release_expired_holds", stdout=out)
    assert out.getvalue() == "release_expired_holds: 0 hold(s) expired\n"
    clock.advance(minutes=15, seconds=1)
    out = StringIO()
    call_command("release_expired_holds", stdout=out)
    assert out.getvalue() == "release_expired_holds: 1 hold(s) expired\n"
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED
    assert events(booking.reference) == ["booking.held", "booking.expired"]
    assert counts(hotel.room_type_id) == {}


def test_task_is_named_queued_and_scheduled_every_minute(hotel, clock) -> None:
    assert release_expired_holds.name == "bookings.release_expired_holds"
    assert release_expired_holds.app.amqp.router.route({}, release_expired_holds.name)["queue"].name == "maintenance"
    entry = settings.CELERY_BEAT_SCHEDULE["bookings.release_expired_holds"]
    assert (entry["task"], entry["schedule"]) == ("bookings.release_expired_holds", 60.0)
    assert settings.CELERY_BEAT_SCHEDULE["bookings.reconcile_inventory"]["task"] == "bookings.reconcile_inventory"
    held(hotel)
    clock.advance(minutes=16)
    assert release_expired_holds.apply().result == 1
    assert release_expired_holds.apply().result == 0
    assert Booking.objects.filter(status=Status.EXPIRED).count() == 1
