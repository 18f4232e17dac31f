"""Request and response shapes of /api/v1 (they are also the OpenAPI schema)."""

from __future__ import annotations

import threading
from collections.abc import Hashable

from django.utils.functional import cached_property
from rest_framework import serializers

from apps.partners.models import Scope, Webhook, WebhookDelivery

MAX_GUESTS = 20
BOOKING_EVENT_TYPES = (
    "booking.held",
    "booking.confirmed",
    "booking.cancelled",
    "booking.modified",
    "booking.checked_in",
    "booking.checked_out",
    "booking.no_show",
    "booking.expired",
)
_built = threading.local()  # per thread: {(serializer class, variant): its bound fields}
STATUSES = ("held", "confirmed", "checked_in", "checked_out", "cancelled", "no_show", "expired")


class StrictSerializer(serializers.Serializer):
    """Unknown fields are refused, so a typo is an error instead of being silently ignored.

    A top-level one reuses its fields, built once per thread (and ``fields_variant``): DRF
    deep-copies every declared field, nested serializers included, for each instance, which was
    most of the time a booking request spent validating. Fields keep no state from one validation
    to the next; a variant that changes them names itself in ``fields_variant`` and changes them in
    ``get_fields``.
    """

    def fields_variant(self) -> Hashable:
        return None

    @cached_property
    def fields(self):  # type: ignore[no-untyped-def]
        build = serializers.Serializer.fields.func
        if self.parent is not None:  # nested: built once, with its parent's fields
            return build(self)
        built = _built.__dict__.setdefault("fields", {})
        key = (type(self), self.fields_variant())
        fields = built.get(key)
        if fields is None:
            fields = built[key] = build(self)
        else:
            for field in fields.values():
                field.parent = self
        return fields

    def to_internal_value(self, data):  # type: ignore[no-untyped-def]
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class AvailabilityQuery(StrictSerializer):
    property = serializers.SlugField(max_length=80)
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    adults = serializers.IntegerField(min_value=1, max_value=MAX_GUESTS, default=2)
    children = serializers.IntegerField(min_value=0, max_value=MAX_GUESTS, default=0)
    rooms = serializers.IntegerField(min_value=1, max_value=MAX_GUESTS, default=1)


class GuestIn(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=8, required=False, default="en")


class RoomIn(StrictSerializer):
    room_type_id = serializers.IntegerField(min_value=1, max_value=2**53)
    rate_plan_id = serializers.IntegerField(min_value=1, max_value=2**53)
    adults = serializers.IntegerField(min_value=1, max_value=MAX_GUESTS)
    children = serializers.IntegerField(min_value=0, max_value=MAX_GUESTS, default=0)
    guest_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StayIn(StrictSerializer):
    property = serializers.SlugField(max_length=80)
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    rooms = RoomIn(many=True, min_length=1, max_length=10)
    guest = GuestIn()
    partner_reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    special_requests = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BookingIn(StayIn):
    """Either ``hold`` (the reference of a hold to confirm) alone, or the stay to book directly."""

    hold = serializers.CharField(max_length=20, required=False)

    def fields_variant(self) -> Hashable:
        data = getattr(self, "initial_data", None)
        return isinstance(data, dict) and "hold" in data

    def get_fields(self):  # type: ignore[no-untyped-def]
        fields = super().get_fields()
        if self.fields_variant():
            for name, field in fields.items():
                field.required = name == "hold"
        return fields


class ModifyIn(StrictSerializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31)
    check_in = serializers.DateField(required=False)
    check_out = serializers.DateField(required=False)
    rooms = RoomIn(many=True, min_length=1, max_length=10, required=False)


class EmptyIn(StrictSerializer):
    """Cancel takes no fields."""


class BookingListQuery(StrictSerializer):
    property = serializers.SlugField(max_length=80, required=False)
    status = serializers.ChoiceField(choices=STATUSES, required=False)
    check_in_from = serializers.DateField(required=False)
    check_in_to = serializers.DateField(required=False)
    cursor = serializers.CharField(max_length=64, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class FeedQuery(StrictSerializer):
    after = serializers.CharField(max_length=64, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class CursorQuery(StrictSerializer):
    cursor = serializers.CharField(max_length=64, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


# --- responses ---


class PolicyOut(serializers.Serializer):
    kind = serializers.CharField()
    free_until_hours = serializers.IntegerField(allow_null=True)
    fee_kind = serializers.CharField(allow_null=True)
    fee_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class NightPriceOut(serializers.Serializer):
    night = serializers.DateField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)


class RoomTypeOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    max_adults = serializers.IntegerField()
    max_children = serializers.IntegerField()
    max_occupancy = serializers.IntegerField()


class RatePlanOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    meal_plan = serializers.CharField()
    policy = PolicyOut()


class PropertyOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    timezone = serializers.CharField()
    currency = serializers.CharField()
    check_in_time = serializers.CharField(help_text="HH:MM, hotel time")
    check_out_time = serializers.CharField(help_text="HH:MM, hotel time")


class PropertyDetailOut(PropertyOut):
    room_types = RoomTypeOut(many=True)
    rate_plans = RatePlanOut(many=True)


class PropertyPageOut(serializers.Serializer):
    results = PropertyOut(many=True)


class ProblemOut(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    night = serializers.DateField(allow_null=True)


class OfferOut(serializers.Serializer):
    room_type = RoomTypeOut()
    rate_plan_id = serializers.IntegerField()
    rate_plan_name = serializers.CharField()
    meal_plan = serializers.CharField()
    bookable = serializers.BooleanField()
    units_available = serializers.IntegerField()
    nightly = NightPriceOut(many=True)
    room_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    taxes = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    cancellation_policy = PolicyOut()
    cancellation_policy_text = serializers.CharField()
    problems = ProblemOut(many=True)


class AvailabilityOut(serializers.Serializer):
    property = serializers.CharField()
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    offers = OfferOut(many=True)


class BookingRoomOut(serializers.Serializer):
    room_type_id = serializers.IntegerField()
    room_type_name = serializers.CharField()
    rate_plan_id = serializers.IntegerField()
    rate_plan_name = serializers.CharField()
    adults = serializers.IntegerField()
    children = serializers.IntegerField()
    guest_name = serializers.CharField()
    nightly = NightPriceOut(many=True)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class BookingOut(serializers.Serializer):
    reference = serializers.CharField()
    partner_reference = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUSES)
    property = serializers.CharField()
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    adults = serializers.IntegerField()
    children = serializers.IntegerField()
    currency = serializers.CharField()
    room_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    taxes = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    cancellation_fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    cancellation_policy = PolicyOut()
    expires_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    rooms = BookingRoomOut(many=True)


class BookingPageOut(serializers.Serializer):
    results = BookingOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class CancellationQuoteOut(serializers.Serializer):
    reference = serializers.CharField()
    cancellation_fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


class EventOut(serializers.Serializer):
    cursor = serializers.CharField()
    event_id = serializers.UUIDField()
    event_type = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    booking_reference = serializers.CharField()
    payload = serializers.DictField()


class EventPageOut(serializers.Serializer):
    results = EventOut(many=True)
    next_cursor = serializers.CharField(allow_null=True, help_text="Pass as ?after= to read on.")


class WebhookIn(StrictSerializer):
    url = serializers.URLField(max_length=500)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=BOOKING_EVENT_TYPES), max_length=len(BOOKING_EVENT_TYPES), default=list
    )


class WebhookOut(serializers.ModelSerializer):
    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "event_types",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]


class WebhookCreatedOut(WebhookOut):
    class Meta(WebhookOut.Meta):
        fields = [*WebhookOut.Meta.fields, "secret"]


class WebhookPageOut(serializers.Serializer):
    results = WebhookOut(many=True)


class DeliveryOut(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "state",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "created_at",
            "delivered_at",
        ]


class DeliveryPageOut(serializers.Serializer):
    results = DeliveryOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


SCOPES = Scope
