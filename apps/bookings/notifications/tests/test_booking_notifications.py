"""A booking made through the bookings services, told to everyone exactly once."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import icalendar
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from apps.bookings.access import manage_token
from apps.bookings.actors import Actor
from apps.bookings.models import Booking
from apps.bookings.notifications.tests.conftest import ADMINS, PHONES
from apps.bookings.services.hold import booking_book
from apps.bookings.services.lifecycle import booking_cancel
from apps.bookings.tests.factories import Hotel
from apps.bookings.tests.helpers import ARRIVAL, guest_of, stay
from booking_platform.events import relay
from booking_platform.notifications.models import Delivery
from booking_platform.notifications.testing import SmsSink, SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)


def book(hotel: Hotel, guest) -> str:
    booking = booking_book(
        request=stay(hotel, customer_id=guest.pk, nights=3, rooms=hotel.rooms(1), language="de"),
        actor=Actor.guest(guest.pk),
    )
    return booking.reference


def booking_manage_token(reference: str) -> str:
    booking = Booking.objects.get(reference=reference)
    return manage_token(booking_id=booking.pk, reference=reference)


def deliveries() -> list[tuple[str, str, str, str]]:
    return sorted(Delivery.objects.values_list("kind", "channel", "recipient", "status"))


def test_a_confirmed_booking_tells_guest_admins_and_phones_once(
    hotel: Hotel, guest, smtp: SmtpSink, sms: SmsSink
) -> None:
    reference = book(hotel, guest)

    assert deliveries() == sorted(
        [("booking.guest.confirmed", "email", "anna@guest.example", "sent")]
        + [("booking.admin.confirmed", "email", a, "sent") for a in ADMINS]
        + [("booking.sms.confirmed", "sms", p, "sent") for p in PHONES]
    )
    [guest_mail] = smtp.to("anna@guest.example")
    assert reference in guest_mail["Subject"]
    text = guest_mail.get_body(("plain",)).get_content()
    html = guest_mail.get_body(("html",)).get_content()
    # The email's link carries the booking's secret (apps/bookings/access.py); the reference alone grants nothing.
    link = f"http://127.0.0.1:8000/bookings/{reference}/?key={booking_manage_token(reference)}"
    assert link in text
    assert f'href="{link}"' in html
    assert "Stornobedingungen: Kostenlose Stornierung bis" in text  # the guest (fixture) speaks German
    assert "Hallo Anna," in text
    [ics_part] = [p for p in guest_mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(ics_part.get_content())
    [stay] = calendar.walk("VEVENT")
    assert str(stay["uid"]).startswith(f"{reference}@")
    assert stay.decoded("dtstart").date() == ARRIVAL
    assert stay.decoded("dtend").date() == ARRIVAL + timedelta(days=3)
    assert str(stay.decoded("dtstart").tzinfo) == "Europe/Berlin"

    for admin in ADMINS:
        [admin_mail] = smtp.to(admin)
        body = admin_mail.get_body(("plain",)).get_content()
        assert f"http://127.0.0.1:8000/admin/bookings/booking/?q={reference}" in body
        assert "Anna Berg <anna@guest.example>" in body
        assert "(3 nights)" in body
        assert "Double / Flexible" in body
    assert len(smtp.messages) == 3
    [request] = sms.requests
    assert request["json"]["to"] == PHONES[0]
    assert request["json"]["text"].startswith(f"Hotel Kastanie: NEW booking {reference} Anna Berg")


def test_replaying_the_booking_sends_nothing_twice(hotel: Hotel, guest, smtp: SmtpSink, sms: SmsSink) -> None:
    book(hotel, guest)
    since, until = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1)

    dispatched = relay.replay(since=since, until=until, consumer_names=["notify:bookings"])
    call_command("relay_events", "--reconcile")

    assert dispatched == 1  # held is not for the notifier; confirmed is
    assert len(smtp.messages) == 3
    assert len(sms.requests) == 1
    assert Delivery.objects.count() == 4


def test_a_cancellation_is_told_to_guest_admins_and_phones(hotel: Hotel, guest, smtp: SmtpSink, sms: SmsSink) -> None:
    from apps.bookings.models import Booking

    reference = book(hotel, guest)
    booking = Booking.objects.get(reference=reference)
    booking_cancel(booking_id=booking.pk, actor=guest_of(booking))

    cancelled = [d for d in deliveries() if ".cancelled" in d[0]]
    assert cancelled == sorted(
        [("booking.guest.cancelled", "email", "anna@guest.example", "sent")]
        + [("booking.admin.cancelled", "email", a, "sent") for a in ADMINS]
        + [("booking.sms.cancelled", "sms", p, "sent") for p in PHONES]
    )
    assert smtp.to("anna@guest.example")[1]["Subject"] == f"Ihre Buchung {reference} wurde storniert"
    assert sms.requests[1]["json"]["text"].startswith(f"Hotel Kastanie: CANCELLED booking {reference}")


def test_an_erased_guest_gets_nothing_but_the_hotel_is_still_told(
    hotel: Hotel, guest, smtp: SmtpSink, sms: SmsSink
) -> None:
    # Bookings need a live profile, so the guest's profile disappears after booking, before the
    # confirmation is planned (on commit): by then there is no such profile to write to.
    with transaction.atomic():
        booking = booking_book(
            request=stay(hotel, customer_id=guest.pk, nights=1, rooms=hotel.rooms(1)), actor=Actor.guest(guest.pk)
        )
        type(guest).objects.filter(pk=guest.pk).delete()
    assert sorted(d[2] for d in deliveries()) == sorted([*ADMINS, *PHONES])
    assert "(guest data erased)" in smtp.to(ADMINS[0])[0]["Subject"]
    assert booking.reference in sms.requests[0]["json"]["text"]


def test_a_guest_erased_by_customers_is_not_written_to(hotel: Hotel, smtp: SmtpSink, sms: SmsSink) -> None:
    from apps.customers.tests.factories import CustomerFactory

    # what apps.customers' erasure leaves behind: a placeholder under the reserved .invalid domain
    erased = CustomerFactory(email="erased-41@erased.invalid", first_name="", last_name="", phone="")
    reference = book(hotel, erased)

    assert sorted(d[2] for d in deliveries()) == sorted([*ADMINS, *PHONES])
    assert smtp.to(ADMINS[0])[0]["Subject"].endswith(f"{reference}, (guest data erased), {ARRIVAL.isoformat()}")


def test_the_stream_gets_one_entry_per_event(
    hotel: Hotel, guest, smtp: SmtpSink, sms: SmsSink, require_redis, settings
) -> None:
    import redis

    from booking_platform.events import stream
    from booking_platform.events.consumers import register_consumer, unregister_consumer

    name = f"test-booking-events-{uuid.uuid4().hex[:8]}"
    settings.EVENT_STREAM_BACKEND, settings.EVENT_STREAM_NAME = "redis", name
    previous = stream.get_consumer_registration()
    register_consumer(stream.CONSUMER, stream.publish_to_stream, transactional=False)
    client = redis.Redis.from_url(require_redis)
    try:
        reference = book(hotel, guest)
        relay.replay(
            since=timezone.now() - timedelta(hours=1),
            until=timezone.now() + timedelta(hours=1),
            consumer_names=[stream.CONSUMER],
        )
        entries = [{k.decode(): v.decode() for k, v in f.items()} for _, f in client.xrange(name)]
    finally:
        client.delete(name)
        unregister_consumer(stream.CONSUMER)
        if previous is not None:
            register_consumer(previous.name, previous.handler, transactional=False)
    assert [e["type"] for e in entries] == ["booking.confirmed"]
    assert {e["aggregate_id"] for e in entries} == {reference}
    assert json.loads(entries[0]["payload"])["status"] == "confirmed"
    assert len(smtp.messages) == 3
    assert len(sms.requests) == 1


def test_guest_email_is_rendered_in_the_guests_language(hotel: Hotel, guest, smtp: SmtpSink, sms: SmsSink) -> None:
    book(hotel, guest)
    [mail] = smtp.to("anna@guest.example")
    assert '<html lang="de">' in mail.get_body(("html",)).get_content()
    assert "10. März 2030" in mail.get_body(("plain",)).get_content()  # dates follow the guest's locale


def test_a_modification_emails_guest_and_admins_but_sends_no_sms(
    hotel: Hotel, guest, smtp: SmtpSink, sms: SmsSink
) -> None:
    from apps.bookings.models import Booking
    from apps.bookings.services.modify import booking_modify

    reference = book(hotel, guest)
    booking = Booking.objects.get(reference=reference)
    booking_modify(
        booking_id=booking.pk,
        actor=guest_of(booking),
        expected_version=booking.version,
        check_out=ARRIVAL + timedelta(days=4),
    )

    modified = [d for d in deliveries() if ".modified" in d[0]]
    assert modified == sorted(
        [("booking.guest.modified", "email", "anna@guest.example", "sent")]
        + [("booking.admin.modified", "email", a, "sent") for a in ADMINS]
    )
    assert len(sms.requests) == 1  # only the confirmation's
    guest_mail = smtp.to("anna@guest.example")[1]
    text = guest_mail.get_body(("plain",)).get_content()
    assert "Nächte: 4" in text
    [ics_part] = [p for p in guest_mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    [stay] = icalendar.Calendar.from_ical(ics_part.get_content()).walk("VEVENT")
    assert stay.decoded("dtend").date() == ARRIVAL + timedelta(days=4)
    admin_body = smtp.to(ADMINS[0])[1].get_body(("plain",)).get_content()
    assert f"Was:       {ARRIVAL.isoformat()} – {(ARRIVAL + timedelta(days=3)).isoformat()}, 300.00 EUR" in admin_body


def test_the_embedded_default_prints_emails_and_sms_on_the_console(
    hotel: Hotel, guest, settings, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SMS_BACKEND = "console"
    reference = book(hotel, guest)
    out = capsys.readouterr().out
    assert out.count(f"Buchungsnummer: {reference}") == 1  # the guest's email (German), its text part
    assert out.count(f"Booking confirmed: {reference}") == len(ADMINS) * 2  # subject and first line
    assert out.count(f"NEW booking {reference}") == len(PHONES)


def test_an_event_for_an_unknown_property_plans_nothing(transactional_db: None, smtp: SmtpSink) -> None:
    from django.db import transaction

    from booking_platform.events.models import ProcessedEvent
    from booking_platform.events.outbox import emit

    with transaction.atomic():
        event = emit(
            event_type="booking.confirmed",
            aggregate_type="booking",
            aggregate_id="NOP-E00-0000",
            payload={"reference": "NOP-E00-0000", "property_id": 999999, "customer_id": 1, "status": "confirmed"},
        )
    assert Delivery.objects.count() == 0
    assert smtp.messages == []
    assert ProcessedEvent.objects.filter(consumer="notify:bookings", event_id=event.event_id).count() == 1
