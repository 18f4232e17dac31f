from __future__ import annotations

import factory

from apps.customers.models import Customer


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    email = factory.Sequence(lambda n: f"guest{n}@example.com")
    first_name = factory.Sequence(lambda n: f"Annika{n}")
    last_name = factory.Sequence(lambda n: f"Vogelsang{n}")
    phone = "+4930901820"
    country = "DE"
    language = "de"
