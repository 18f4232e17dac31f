"""What other contexts may use of customers: plain functions and frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

from apps.customers.lists import customer_ids_matching, customers_by_ids
from apps.customers.models import Customer
from apps.customers.services import customer_upsert
from booking_platform.errors import NotFound

__all__ = ["CustomerInfo", "get_customer", "upsert_customer"]


@dataclass(frozen=True)
class CustomerInfo:
    id: int
    email: str
    first_name: str
    last_name: str
    phone: str  # E.164 or ""
    country: str
    language: str
    marketing_consent: bool


def _info(customer: Customer) -> CustomerInfo:
    return CustomerInfo(
        id=customer.pk,
        email=customer.email,
        first_name=customer.first_name,
        last_name=customer.last_name,
        phone=customer.phone,
        country=customer.country,
        language=customer.language,
        marketing_consent=customer.marketing_consent,
    )


def upsert_customer(
    *,
    email: str,
    first_name: str,
    last_name: str,
    phone: str = "",
    country: str = "",
    language: str = "en",
    marketing_consent: bool | None = None,
) -> CustomerInfo:
    """Create or update the one profile for this email (ValidationFailed on bad email/phone/country)."""
    return _info(
        customer_upsert(
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            country=country,
            language=language,
            marketing_consent=marketing_consent,
        )
    )


def get_customer(customer_id: int) -> CustomerInfo:
    """NotFound if there is no such profile, or (code "customer_erased") if its personal data was erased.

    An erased guest is someone we may no longer write to or name, so callers treat it as gone.
    """
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("No such customer.", code="customer_not_found")
    if customer.erased_at is not None:
        raise NotFound("This customer's personal data was erased.", code="customer_erased")
    return _info(customer)


# Staff screens: guest names for lists (erased guests absent) and search by name or email.
__all__ += ["customer_ids_matching", "customers_by_ids"]
