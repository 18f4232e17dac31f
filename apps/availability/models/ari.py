"""The per-night calendar: inventory counters, prices and restrictions, and who holds what."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from apps.availability.models import limits
from apps.availability.models.catalogue import RatePlan, RoomType


class Inventory(models.Model):
    """Units of a room type on one property-local night.

    ``held`` includes holds that expired but were not reclaimed yet; every read and
    every take subtracts those (see Allocation), so correctness never waits for a sweep.
    """

    # No index of its own: inventory_night_uniq (room_type, night) leads with it.
    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="inventory", db_index=False)
    night = models.DateField(validators=[limits.validate_night])
    sellable = models.IntegerField(default=0, validators=limits.sellable_validators)
    sold = models.IntegerField(default=0)
    held = models.IntegerField(default=0)
    stop_sell = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "inventory"
        ordering = ["room_type_id", "night"]
        constraints = [
            models.UniqueConstraint(fields=["room_type", "night"], name="inventory_night_uniq"),
            models.CheckConstraint(condition=Q(sellable__gte=0), name="inventory_sellable_nonneg"),
            models.CheckConstraint(condition=Q(sellable__lte=limits.MAX_SELLABLE), name="inventory_sellable_max"),
            models.CheckConstraint(condition=Q(sold__gte=0), name="inventory_sold_nonneg"),
            models.CheckConstraint(condition=Q(held__gte=0), name="inventory_held_nonneg"),
            models.CheckConstraint(condition=Q(sellable__gte=F("sold") + F("held")), name="inventory_within_sellable"),
        ]
        indexes = [models.Index(fields=["night"], name="inventory_night_idx")]

    def __str__(self) -> str:
        return f"{self.room_type_id}@{self.night}: {self.sold}+{self.held}/{self.sellable}"


class NightRate(models.Model):
    """Price and restrictions of a rate plan for a room type on a night; no price means not for sale."""

    # No single-column indexes: nightrate_uniq leads with the plan, nightrate_rt_night_idx with the room
    # type. With statistics, PostgreSQL chose a lone plan index for search and filtered ten times the rows.
    rate_plan = models.ForeignKey(RatePlan, on_delete=models.CASCADE, related_name="night_rates", db_index=False)
    room_type = models.ForeignKey(RoomType, on_delete=models.CASCADE, related_name="night_rates", db_index=False)
    night = models.DateField(validators=[limits.validate_night])
    price = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=limits.price_validators
    )
    extra_adult_price = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, validators=limits.price_validators
    )
    extra_child_price = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, validators=limits.price_validators
    )
    min_stay_arrival = models.PositiveSmallIntegerField(null=True, blank=True, validators=limits.stay_length_validators)
    min_stay_through = models.PositiveSmallIntegerField(null=True, blank=True, validators=limits.stay_length_validators)
    max_stay = models.PositiveSmallIntegerField(null=True, blank=True, validators=limits.stay_length_validators)
    closed_to_arrival = models.BooleanField(default=False)
    closed_to_departure = models.BooleanField(default=False)
    stop_sell = models.BooleanField(default=False)

    # What staff set per night (everything but the key): ARI services, calendar reads and admin share it.
    SETTINGS = (
        "price",
        "extra_adult_price",
        "extra_child_price",
        "min_stay_arrival",
        "min_stay_through",
        "max_stay",
        "closed_to_arrival",
        "closed_to_departure",
        "stop_sell",
    )

    class Meta:
        ordering = ["rate_plan_id", "room_type_id", "night"]
        constraints = [
            models.UniqueConstraint(fields=["rate_plan", "room_type", "night"], name="nightrate_uniq"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0, price__lte=limits.MAX_PRICE),
                name="nightrate_price_range",
            ),
            models.CheckConstraint(
                condition=Q(extra_adult_price__gte=0, extra_adult_price__lte=limits.MAX_PRICE),
                name="nightrate_adult_range",
            ),
            models.CheckConstraint(
                condition=Q(extra_child_price__gte=0, extra_child_price__lte=limits.MAX_PRICE),
                name="nightrate_child_range",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1}), name=f"nightrate_{field}_pos"
                )
                for field in ("min_stay_arrival", "min_stay_through", "max_stay")
            ),
        ]
        indexes = [models.Index(fields=["room_type", "night"], name="nightrate_rt_night_idx")]

    def __str__(self) -> str:
        return f"{self.rate_plan_id}/{self.room_type_id}@{self.night}: {self.price}"


class Allocation(models.Model):
    """Units one key (a booking reference) took on one inventory row.

    Rows are kept after release or expiry so a key is used once and every take,
    confirm and release is idempotent by key.
    """

    class State(models.TextChoices):
        HELD = "held", "Held"
        SOLD = "sold", "Sold"
        RELEASED = "released", "Released"
        EXPIRED = "expired", "Expired"

    alloc_key = models.CharField(max_length=100)
    # No index of its own: allocation_inv_state_idx (inventory, state) leads with it.
    inventory = models.ForeignKey(Inventory, on_delete=models.PROTECT, related_name="allocations", db_index=False)
    units = models.IntegerField()
    state = models.CharField(max_length=10, choices=State.choices)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["alloc_key", "inventory"], name="allocation_key_uniq"),
            models.CheckConstraint(condition=Q(units__gt=0), name="allocation_units_pos"),
        ]
        indexes = [
            models.Index(fields=["state", "expires_at"], name="allocation_expiry_idx"),
            models.Index(fields=["inventory", "state"], name="allocation_inv_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.alloc_key}: {self.units} {self.state}"
