"""Admin forms whose save is a service call: the service's checks are the only checks."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db import models

from booking_platform.errors import ApplicationError


class ServiceModelForm(forms.ModelForm):
    """Field parsing stays Django's; validation and the write are the service's.

    After the fields parse, ``_post_clean`` (where a ModelForm would validate and later
    ``save()`` the instance) calls ``save_through_service`` instead. A refusal becomes a form error
    on the field the service names (``field_map`` translates service argument names), so the page
    shows it and nothing was written. The admin's ``save_model`` must then not save again.
    """

    field_map: ClassVar[dict[str, str]] = {}

    def save_through_service(self) -> models.Model:
        raise NotImplementedError

    def _post_clean(self) -> None:
        if self.errors:
            return
        try:
            self.instance = self.save_through_service()
        except ApplicationError as exc:
            field = self.field_map.get(exc.extra.get("field", ""), exc.extra.get("field"))
            self.add_error(field if field in self.fields else None, exc.message)

    def changed_values(self, names: Any = None) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in (names or self.changed_data)}


class ServiceSavedAdminMixin:
    """The form already wrote through the service; the admin only logs and redirects."""

    def save_model(self, request: Any, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        return None

    def save_related(self, request: Any, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)  # type: ignore[attr-defined]
