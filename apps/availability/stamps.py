"""Renew a property's catalogue stamp whenever what it sells changes.

Search keeps a per-process copy of each property's room types, rate plans and who sells what, keyed by
``Property.catalogue_stamp`` (``selectors.catalogue_cache``). Every write to those rows, from the admin,
a service, a shell or a cascade, goes through these receivers, so the next search reads the new
catalogue. This is cache bookkeeping, not business flow: nothing else hangs off these signals.
A write that bypasses model signals (``QuerySet.update``, raw SQL, the previous release during a
rolling deploy) is seen when the copy expires (``CATALOGUE_CACHE_SECONDS``), or at once after
``renew_catalogue_stamp``.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.availability.models import Property, RatePlan, RoomType
from apps.availability.models.catalogue import new_catalogue_stamp


def renew_catalogue_stamp(*, property_id: int) -> None:
    """One UPDATE in the writer's transaction: readers see the new stamp exactly when they see the write."""
    Property.objects.filter(pk=property_id).update(catalogue_stamp=new_catalogue_stamp())


def _catalogue_row_changed(sender: type, instance: RoomType | RatePlan, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: fixtures are not catalogue edits, and the stamp comes with them
        return
    renew_catalogue_stamp(property_id=instance.property_id)


def _plan_room_types_changed(sender: type, instance: RoomType | RatePlan, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        renew_catalogue_stamp(property_id=instance.property_id)


def connect() -> None:
    for model in (RoomType, RatePlan):
        post_save.connect(_catalogue_row_changed, sender=model, dispatch_uid=f"catalogue_stamp_save_{model.__name__}")
        post_delete.connect(
            _catalogue_row_changed, sender=model, dispatch_uid=f"catalogue_stamp_delete_{model.__name__}"
        )
    m2m_changed.connect(
        _plan_room_types_changed, sender=RatePlan.room_types.through, dispatch_uid="catalogue_stamp_sells"
    )
