"""Writes on guest profiles."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.customers.models import Customer
from apps.customers.normalise import (
    normalise_country,
    normalise_email,
    normalise_language,
    normalise_name,
    normalise_phone,
)
from booking_platform.db.locking import lock_one
from booking_platform.errors import Conflict, NotFound, ValidationFailed


def _clean_language(language: str) -> str:
    return normalise_language(language)


def _apply(
    customer: Customer,
    *,
    first_name: str,
    last_name: str,
    phone: str,
    country: str,
    language: str,
    marketing_consent: bool | None,
) -> list[str]:
    """Overwrite what was given; empty strings keep what the profile already holds. The fields changed."""
    changed = []
    for field, value in (
        ("first_name", first_name),
        ("last_name", last_name),
        ("phone", phone),
        ("country", country),
        ("language", language),
    ):
        if (value or field == "language") and getattr(customer, field) != value:
            setattr(customer, field, value)
            changed.append(field)
    if marketing_consent is not None and marketing_consent != customer.marketing_consent:
        customer.marketing_consent = marketing_consent
        customer.marketing_consent_at = timezone.now()
        changed += ["marketing_consent", "marketing_consent_at"]
    return changed


def customer_upsert(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    country: str = "",
    language: str = "en",
    marketing_consent: bool | None = None,
) -> Customer:
    """One profile per normalised email: a returning guest updates theirs instead of duplicating it.

    A returning guest whose details are unchanged costs one read: the row is locked and written
    only when something differs (most repeat bookings send the same name, phone and language).
    """
    email = normalise_email(email)
    country = normalise_country(country)
    fields = {
        "first_name": normalise_name(first_name, field="first_name"),
        "last_name": normalise_name(last_name, field="last_name"),
        "phone": normalise_phone(phone, country=country),
        "country": country,
        "language": _clean_language(language),
        "marketing_consent": marketing_consent,
    }
    for attempt in range(2):
        seen = Customer.objects.filter(email=email).first()
        if seen is not None and not _apply(seen, **fields):
            return seen
        try:
            with transaction.atomic():
                customer = lock_one(Customer.objects.filter(email=email)) if seen is not None else None
                if customer is None:
                    customer = Customer(email=email)
                    _apply(customer, **fields)
                    customer.save(force_insert=True)
                    return customer
                changed = _apply(customer, **fields)
                if changed:
                    customer.save(update_fields=[*changed, "updated_at"])
                return customer
        except IntegrityError:
            # Two first bookings with one email raced; the loser updates the winner's row.
            if attempt:
                raise
    raise AssertionError("unreachable")


def customer_update(
    *,
    customer_id: int,
    email: str,
    first_name: str,
    last_name: str,
    phone: str,
    country: str,
    language: str,
    marketing_consent: bool,
) -> Customer:
    """Staff edit a profile: the same normalisation as ``customer_upsert``; empty values clear a field.

    Refusals: customer_not_found, customer_erased, email_taken (another profile has the email),
    and the normalisers' invalid codes, each naming its field.
    """
    email = normalise_email(email)
    country = normalise_country(country)
    phone = normalise_phone(phone, country=country)
    language = _clean_language(language)
    try:
        with transaction.atomic():
            customer = lock_one(Customer.objects.filter(pk=customer_id))
            if customer is None:
                raise NotFound("No such customer.", code="customer_not_found")
            if customer.erased_at is not None:
                raise Conflict("This customer's personal data was erased.", code="customer_erased")
            customer.email = email
            customer.first_name = normalise_name(first_name, field="first_name")
            customer.last_name = normalise_name(last_name, field="last_name")
            customer.phone, customer.country, customer.language = phone, country, language
            if marketing_consent != customer.marketing_consent:
                customer.marketing_consent = marketing_consent
                customer.marketing_consent_at = timezone.now()
            customer.save()
    except IntegrityError as exc:  # the unique email: another profile holds it
        raise ValidationFailed(
            "Another guest profile already uses this email.", code="email_taken", extra={"field": "email"}
        ) from exc
    return customer
