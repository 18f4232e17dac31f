"""Data-protection duties: export everything held about a guest, erase it, purge stale profiles.

Other contexts' guest data (bookings: guest names, requests, audit trail) is reached through the
kernel's personal-data registry, where those contexts register; notification deliveries through the kernel.
Erasure replaces personal data in place, so bookings keep their amounts and ids stay valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.customers.models import Customer
from booking_platform.actors import Actor
from booking_platform.db.locking import lock_one
from booking_platform.errors import NotFound
from booking_platform.notifications.models import Delivery
from booking_platform.notifications.services import forget_recipient, normalise
from booking_platform.personal_data import (
    personal_data_erase,
    personal_data_export,
    personal_data_last_activity,
)

EXPORT_VERSION = 1


def _customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("No such customer.", code="customer_not_found")
    return customer


def _profile(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "phone": customer.phone,
        "country": customer.country,
        "language": customer.language,
        "marketing_consent": customer.marketing_consent,
        "marketing_consent_at": customer.marketing_consent_at.isoformat() if customer.marketing_consent_at else None,
        "erased_at": customer.erased_at.isoformat() if customer.erased_at else None,
        "created_at": customer.created_at.isoformat(),
        "updated_at": customer.updated_at.isoformat(),
    }


def _addresses(customer: Customer) -> set[str]:
    found = {normalise(Delivery.Channel.EMAIL, customer.email)}
    if customer.phone:
        found.add(normalise(Delivery.Channel.SMS, customer.phone))
    return found - {""}


def customer_export(*, customer_id: int) -> dict[str, Any]:
    """Everything held about the guest, as one JSON document (GDPR art. 15 and 20)."""
    customer = _customer(customer_id)
    messages = Delivery.objects.filter(recipient__in=_addresses(customer)).order_by("id")
    return {
        "export_version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "customer": _profile(customer),
        **personal_data_export(customer_id=customer.pk),  # "bookings": ... (every registered holder)
        "messages": [
            {
                "channel": m.channel,
                "kind": m.kind,
                "status": m.status,
                "recipient": m.recipient,
                "created_at": m.created_at.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            }
            for m in messages
        ],
    }


def _known_values(customer: Customer) -> list[str]:
    full = f"{customer.first_name} {customer.last_name}".strip()
    return [v for v in (customer.email, customer.first_name, customer.last_name, full, customer.phone) if v]


def customer_erase(*, customer_id: int, actor: Actor) -> Customer:
    """Replace the guest's personal data everywhere; bookings keep dates and amounts for the books."""
    with transaction.atomic():
        customer = lock_one(Customer.objects.filter(pk=customer_id))
        if customer is None:
            raise NotFound("No such customer.", code="customer_not_found")
        if customer.erased_at is not None:
            return customer
        personal_data_erase(customer_id=customer.pk, known_values=_known_values(customer), actor=actor)
        for address in sorted(_addresses(customer)):
            forget_recipient(address)
        customer.email = f"erased-{customer.pk}@erased.invalid"
        customer.first_name = customer.last_name = customer.phone = customer.country = ""
        customer.marketing_consent = False
        customer.marketing_consent_at = None
        customer.erased_at = timezone.now()
        customer.save()
    return customer


@dataclass(frozen=True)
class PurgeCandidate:
    customer_id: int
    last_activity: date


def purge_candidates(*, older_than_days: int, today: date | None = None) -> list[PurgeCandidate]:
    """Profiles with no stay (any booking's departure) and no sign-up within the period."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=older_than_days)
    stale = list(
        Customer.objects.filter(erased_at__isnull=True, created_at__date__lt=cutoff).values_list("pk", "created_at")
    )
    last_stay = personal_data_last_activity(customer_ids=[pk for pk, _ in stale])
    found = []
    for pk, created_at in stale:
        last = max(created_at.date(), last_stay.get(pk, created_at.date()))
        if last < cutoff:
            found.append(PurgeCandidate(customer_id=pk, last_activity=last))
    return found


def customers_purge(*, older_than_days: int, dry_run: bool, actor: Actor) -> list[PurgeCandidate]:
    """Retention: erase every stale profile (each in its own transaction); dry run only lists them."""
    candidates = purge_candidates(older_than_days=older_than_days)
    if not dry_run:
        for candidate in candidates:
            customer_erase(customer_id=candidate.customer_id, actor=actor)
    return candidates
