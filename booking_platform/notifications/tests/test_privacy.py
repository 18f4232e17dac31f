import uuid

import pytest

from booking_platform.events.tests.helpers import emit_committed
from booking_platform.notifications.models import Delivery
from booking_platform.notifications.services import forget_recipient
from booking_platform.notifications.tests.helpers import notifier_registered

pytestmark = pytest.mark.django_db(transaction=True)


def test_forget_recipient_scrubs_sent_and_cancels_pending() -> None:
    with notifier_registered():
        emit_committed(
            "test.notify", "AGG-1", emails=["Guest@Example.com", "staff@example.com"], phones=["+4915100000001"]
        )
    sent = Delivery.objects.get(recipient="guest@example.com")
    Delivery.objects.create(event_id=uuid.uuid4(), channel="email", recipient="guest@example.com", kind="test.email")
    pending = Delivery.objects.exclude(pk=sent.pk).get(recipient="guest@example.com")
    Delivery.objects.filter(pk=sent.pk).update(last_error="SMTP 452 for guest@example.com")

    assert forget_recipient(" GUEST@example.com ") == 2

    sent.refresh_from_db()
    pending.refresh_from_db()
    assert (sent.recipient, sent.status, sent.last_error) == (f"erased:{sent.pk}", "sent", "[erased]")
    assert (pending.recipient, pending.status, pending.last_error) == (
        f"erased:{pending.pk}",
        "failed",
        "recipient erased before sending",
    )
    assert not Delivery.objects.filter(recipient__icontains="guest").exists()
    assert sorted(Delivery.objects.exclude(recipient__startswith="erased:").values_list("recipient", flat=True)) == [
        "+4915100000001",
        "staff@example.com",
    ]
    assert forget_recipient("+49 151 00000001") == 1
    assert forget_recipient("nobody@example.com") == 0


def test_forget_recipient_scrubs_the_address_from_other_deliveries_errors() -> None:
    """A staff email's error that quotes the guest's address loses it when the guest is erased."""
    with notifier_registered():
        emit_committed("test.notify", "AGG-1", emails=["staff@example.com"], phones=[])
    staff = Delivery.objects.get(recipient="staff@example.com")
    Delivery.objects.filter(pk=staff.pk).update(last_error="550 rejected: mentions Guest@Example.com")

    assert forget_recipient("guest@example.com") == 0  # no delivery was addressed to the guest

    staff.refresh_from_db()
    assert (staff.recipient, staff.last_error) == ("staff@example.com", "[erased]")
