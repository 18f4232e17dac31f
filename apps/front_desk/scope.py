"""The properties a staff screen may show to this user, chosen or all of theirs."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from apps.availability import interface as availability
from booking_platform.staff.access import staff_property_ids


def user_properties(request: HttpRequest) -> dict[int, availability.PropertyInfo]:
    """Every property the user works for (superusers: all), by name."""
    scope = staff_property_ids(request.user)
    return availability.properties_by_ids(None if scope is None else scope)


def chosen_properties(request: HttpRequest) -> tuple[dict[int, availability.PropertyInfo], int | None]:
    """The user's properties, narrowed by ``?property=`` (another hotel's id is a 404, not an empty page)."""
    props = user_properties(request)
    raw = request.GET.get("property", "")
    if not raw:
        return props, None
    if not raw.isdigit() or int(raw) not in props:
        raise Http404("No such property.")
    chosen = int(raw)
    return {chosen: props[chosen]}, chosen
