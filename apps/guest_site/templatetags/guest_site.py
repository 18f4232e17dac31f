"""Template filters for the guest pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from apps.guest_site import presenters

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    return presenters.money(amount, currency)


@register.filter
def problem(value) -> str:
    return presenters.problem_text(value)
