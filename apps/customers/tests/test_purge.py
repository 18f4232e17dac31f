from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.bookings.tests.factories import BookingFactory
from apps.customers.models import Customer
from apps.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def aged(days: int, **kwargs) -> Customer:
    customer = CustomerFactory(**kwargs)
    Customer.objects.filter(pk=customer.pk).update(created_at=timezone.now() - timedelta(days=days))
    return customer


@pytest.fixture
def population():
    today = timezone.localdate()
    stale = aged(800)
    BookingFactory(customer_id=stale.pk, check_in=date(2020, 1, 1), check_out=today - timedelta(days=400))
    recent_stay = aged(800)
    BookingFactory(customer_id=recent_stay.pk, check_in=today - timedelta(days=10), check_out=today - timedelta(days=5))
    future_stay = aged(800)
    BookingFactory(
        customer_id=future_stay.pk,
        check_in=today + timedelta(days=100),
        check_out=today + timedelta(days=102),
        status="cancelled",
    )
    never_booked = aged(400)
    new = aged(3)
    return {"stale": stale, "recent": recent_stay, "future": future_stay, "never": never_booked, "new": new}


def erased_ids() -> set[int]:
    return set(Customer.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))


def test_dry_run_lists_and_changes_nothing(population) -> None:
    out = StringIO()
    call_command("purge_personal_data", "--older-than", "365", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "purge_personal_data: 2 customer(s) would be erased"
    assert sorted(int(line.split()[1].rstrip(":")) for line in lines[:-1]) == sorted(
        [population["stale"].pk, population["never"].pk]
    )
    assert erased_ids() == set()


def test_purge_erases_only_customers_without_a_stay_in_the_period(population) -> None:
    out = StringIO()
    call_command("purge_personal_data", "--older-than", "365", stdout=out)
    assert out.getvalue().splitlines()[-1] == "purge_personal_data: 2 customer(s) erased"
    assert erased_ids() == {population["stale"].pk, population["never"].pk}
    stale = Customer.objects.get(pk=population["stale"].pk)
    assert (stale.email, stale.first_name, stale.phone) == (f"erased-{stale.pk}@erased.invalid", "", "")
    out = StringIO()
    call_command("purge_personal_data", "--older-than", "365", stdout=out)
    assert out.getvalue() == "purge_personal_data: 0 customer(s) erased\n"  # already erased are skipped


def test_days_must_be_positive() -> None:
    with pytest.raises(CommandError):
        call_command("purge_personal_data", "--older-than", "0")
