"""Who may see what: a user's properties, and the admin mixin that scopes every screen to them.

Superusers see every property. Everyone else sees only the properties they are members of;
an object of another property is treated as absent (404 / "doesn't exist"), never as forbidden,
so its existence does not leak either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from booking_platform.staff.models import StaffAuditEntry, StaffMembership

ALL = None  # the superuser's scope: every property


def staff_property_ids(user: Any) -> frozenset[int] | None:
    """The property ids a user works for (None: all, for superusers); cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL
    cached = getattr(user, "_staff_property_ids", None)
    if cached is None:
        cached = frozenset(StaffMembership.objects.filter(user_id=user.pk).values_list("property_id", flat=True))
        user._staff_property_ids = cached
    return cached


def in_scope(user: Any, property_id: int | None) -> bool:
    scope = staff_property_ids(user)
    return scope is ALL or (property_id is not None and property_id in scope)


def scope_filter(user: Any, path: str) -> Q | None:
    """A filter keeping rows whose ``path`` is one of the user's properties (None: no filter)."""
    scope = staff_property_ids(user)
    if scope is ALL:
        return None
    return Q(**{f"{path}__in": sorted(scope)})


def staff_audit_record(
    *, user: Any, action: str, object_type: str, object_ids: Iterable[Any], before: Any = None, after: Any = None
) -> StaffAuditEntry:
    """Record a sensitive read or change; the admin never lets anyone edit or delete these rows."""
    return StaffAuditEntry.objects.create(
        user_id_value=getattr(user, "pk", None),
        username=getattr(user, "get_username", lambda: "")() or "",
        action=action,
        object_type=object_type,
        object_ids=[str(value) for value in object_ids],
        before=before or {},
        after=after or {},
    )


class PropertyScopedAdmin(admin.ModelAdmin):
    """Scopes queryset, object permissions and related-field choices to the user's properties.

    ``property_path`` is the lookup from this model to its property id. ``scoped_related`` maps a
    foreign-key or many-to-many field name to the lookup from the related model to its property id.
    """

    property_path = "property_id"
    scoped_related: dict[str, str] = {}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        condition = scope_filter(request.user, self.property_path)
        return queryset if condition is None else queryset.filter(condition)

    def object_in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None or obj.pk is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and self.object_in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self.object_in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self.object_in_scope(request, obj)

    def _scoped_choices(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        path = self.scoped_related.get(db_field.name)
        condition = scope_filter(request.user, path) if path else None
        if condition is not None:
            base = kwargs.get("queryset")
            if base is None:
                base = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = base.filter(condition)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline:
    """Inline rows follow their parent's scope; the parent admin's checks already ran."""

    scoped_related: dict[str, str] = {}

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        PropertyScopedAdmin._scoped_choices(self, db_field, request, kwargs)  # type: ignore[arg-type]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


_VISIBILITY: dict[str, Callable[[list[int]], Any]] = {}


def register_visibility(label: str, ids_for_properties: Callable[[list[int]], Any]) -> None:
    """A context says which rows of another context's model its properties make visible.

    Bookings register ``"customers.customer"``: a guest is visible to staff of the properties
    the guest booked. The callable returns ids (a list or a lazy id subquery).
    """
    _VISIBILITY[label] = ids_for_properties


def visible_filter(user: Any, label: str) -> Q | None:
    """``pk__in`` the ids visible to the user's properties (None: everything, for superusers)."""
    scope = staff_property_ids(user)
    if scope is ALL:
        return None
    provider = _VISIBILITY.get(label)
    if provider is None or not scope:
        return Q(pk__in=[])
    return Q(pk__in=provider(sorted(scope)))
