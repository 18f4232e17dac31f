"""Guest lists for staff screens in other contexts: one query, whatever the number of guests."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q

from apps.customers.models import Customer

SEARCH_LIMIT = 500


def customers_by_ids(customer_ids: Collection[int]) -> dict[int, tuple[str, str, str]]:
    """(first name, last name, email) of each live guest; erased guests are absent (show them as erased)."""
    rows = Customer.objects.filter(pk__in=list(customer_ids), erased_at__isnull=True)
    return {
        pk: (first, last, email)
        for pk, first, last, email in rows.values_list("pk", "first_name", "last_name", "email")
    }


def customer_ids_matching(term: str) -> list[int]:
    """Guests whose email, first or last name (or "first last") contains the term, at most SEARCH_LIMIT."""
    term = " ".join((term or "").split())
    if not term:
        return []
    condition = Q(email__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
    first, _, last = term.partition(" ")
    if last:
        condition |= Q(first_name__icontains=first, last_name__icontains=last)
    rows = Customer.objects.filter(condition, erased_at__isnull=True).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:SEARCH_LIMIT])
