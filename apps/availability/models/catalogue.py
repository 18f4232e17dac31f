"""What a property sells: the hotel, its room types and rooms, and the rate plans."""

from __future__ import annotations

import builtins
import uuid
from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator, validate_email
from django.db import models
from django.db.models import Q

from apps.availability.domain import CancellationPolicy
from apps.availability.models import limits
from booking_platform.validation import validate_currency, validate_multiline_text, validate_single_line


def validate_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"{name!r} is not an IANA time zone (e.g. Europe/Berlin).") from exc


def validate_email_list(value: object) -> None:
    """The admin team's addresses: a list of valid emails, so alerts never bounce on a typo."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError('Enter a list of addresses, e.g. ["frontdesk@hotel.example"].')
    for address in value:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError(f"{address!r} is not a valid email address.") from exc


def validate_phone_list(value: object) -> None:
    """Alert numbers in E.164 (+4930123456): SMS providers take nothing else."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError('Enter a list of numbers, e.g. ["+4930123456"].')
    for number in value:
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed) or number != _e164(parsed):
            raise ValidationError(f"{number!r} is not a phone number in E.164 form such as +4930123456.")


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


CHANNELS = ("web", "partner")  # spelled as bookings and events spell it


def default_channels() -> list[str]:
    return list(CHANNELS)


def new_catalogue_stamp() -> str:
    return uuid.uuid4().hex


class Property(models.Model):
    """A hotel. Its time zone defines what a "night" and a deadline mean for everything it sells."""

    name = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=80, unique=True)
    address = models.CharField(max_length=300, blank=True, validators=[validate_single_line])
    description = models.TextField(
        blank=True,
        default="",
        db_default="",  # the previous release inserts without this column during a rolling deploy
        max_length=4000,
        validators=[validate_multiline_text],
        help_text="Shown to guests on the hotel's card and results page.",
    )
    city = models.CharField(max_length=120, blank=True, db_index=True, validators=[validate_single_line])
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    currency = models.CharField(max_length=3, default="EUR", validators=[validate_currency])
    check_in_time = models.TimeField(default=time(15, 0))
    check_out_time = models.TimeField(default=time(11, 0))
    tax_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=limits.tax_percent_validators,
        help_text="VAT included in room prices, 0 to 99.99.",
    )
    city_tax_per_person_night = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0.00"), validators=limits.city_tax_validators
    )
    admin_emails = models.JSONField(
        default=list, blank=True, validators=[validate_email_list], help_text="Addresses told about bookings."
    )
    alert_phones = models.JSONField(
        default=list, blank=True, validators=[validate_phone_list], help_text="E.164 numbers for SMS alerts."
    )
    is_active = models.BooleanField(default=True)
    # Renewed by every write to the room types and rate plans (availability.stamps): search keeps a
    # per-process copy of the catalogue under it. Random, so a rolled-back write never reuses one.
    catalogue_stamp = models.CharField(
        max_length=32,
        default=new_catalogue_stamp,
        db_default="",  # the previous release inserts without this column during a rolling deploy
        editable=False,
    )

    class Meta:
        verbose_name_plural = "properties"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_percent__gte=0, tax_percent__lte=limits.MAX_TAX_PERCENT), name="property_tax_range"
            ),
            models.CheckConstraint(
                condition=Q(city_tax_per_person_night__gte=0, city_tax_per_person_night__lte=limits.MAX_CITY_TAX),
                name="property_city_tax_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoomType(models.Model):
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="room_types")
    code = models.CharField(max_length=20, validators=[validate_single_line])
    name = models.CharField(max_length=120, validators=[validate_single_line])
    description = models.TextField(blank=True, validators=[validate_multiline_text])
    base_adults = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    max_adults = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    max_children = models.PositiveSmallIntegerField(default=0)
    max_occupancy = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    bed_setup = models.CharField(max_length=120, blank=True, validators=[validate_single_line])
    size_sqm = models.PositiveSmallIntegerField(null=True, blank=True)
    amenities = models.JSONField(default=list, blank=True, validators=[limits.validate_label_list])
    default_price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=limits.price_validators,
        help_text="Opens new calendar nights.",
    )
    default_extra_adult_price = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0.00"), validators=limits.price_validators
    )
    default_extra_child_price = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0.00"), validators=limits.price_validators
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["property_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["property", "code"], name="roomtype_code_uniq"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0, f"{field}__lte": limits.MAX_PRICE}),
                    name=f"roomtype_{name}_range",
                )
                for field, name in (
                    ("default_price", "price"),
                    ("default_extra_adult_price", "adult"),
                    ("default_extra_child_price", "child"),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RoomTypePhoto(models.Model):
    """A picture through Django storage; FileField keeps Pillow out of the runtime."""

    room_type = models.ForeignKey(RoomType, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        upload_to="room_types/", validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp", "gif"])]
    )
    caption = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["room_type_id", "position", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Room(models.Model):
    class Housekeeping(models.TextChoices):
        CLEAN = "clean", "Clean"
        DIRTY = "dirty", "Dirty"
        INSPECTED = "inspected", "Inspected"
        OUT_OF_ORDER = "out_of_order", "Out of order"

    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="rooms")
    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="rooms")
    room_number = models.CharField(max_length=20, validators=[validate_single_line])
    floor = models.CharField(max_length=20, blank=True, validators=[validate_single_line])
    housekeeping_status = models.CharField(max_length=20, choices=Housekeeping.choices, default=Housekeeping.CLEAN)

    class Meta:
        ordering = ["property_id", "room_number"]
        constraints = [models.UniqueConstraint(fields=["property", "room_number"], name="room_number_uniq")]

    def __str__(self) -> str:
        return self.room_number

    @builtins.property  # the `property` field shadows the builtin in this class body
    def in_service(self) -> bool:
        return self.housekeeping_status != self.Housekeeping.OUT_OF_ORDER


class RatePlan(models.Model):
    """A price list with its cancellation terms; a derived plan prices off its parent."""

    class MealPlan(models.TextChoices):
        ROOM_ONLY = "room_only", "Room only"
        BREAKFAST = "breakfast", "Breakfast included"
        HALF_BOARD = "half_board", "Half board"
        FULL_BOARD = "full_board", "Full board"

    class Cancellation(models.TextChoices):
        FREE = "free_cancellation", "Free cancellation until a deadline"
        NON_REFUNDABLE = "non_refundable", "Non-refundable"

    class Fee(models.TextChoices):
        FIRST_NIGHT = "first_night", "First night"
        PERCENT = "percent", "Percentage of the stay"
        FULL_STAY = "full_stay", "Full stay"

    class Derivation(models.TextChoices):
        PERCENT = "percent", "Percentage of the parent price"
        AMOUNT = "amount", "Fixed amount on the parent price"

    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="rate_plans")
    code = models.CharField(max_length=20, validators=[validate_single_line])
    name = models.CharField(max_length=120, validators=[validate_single_line])
    meal_plan = models.CharField(max_length=20, choices=MealPlan.choices, default=MealPlan.ROOM_ONLY)
    room_types = models.ManyToManyField(RoomType, related_name="rate_plans", blank=True)
    cancellation_kind = models.CharField(max_length=20, choices=Cancellation.choices, default=Cancellation.FREE)
    free_until_hours = models.PositiveIntegerField(
        null=True, blank=True, default=48, validators=limits.free_until_validators
    )
    fee_kind = models.CharField(max_length=20, choices=Fee.choices, blank=True, default=Fee.FIRST_NIGHT)
    fee_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=limits.fee_percent_validators
    )
    channels = models.JSONField(default=default_channels, help_text='Any of "web", "partner".')
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    derivation_kind = models.CharField(max_length=10, choices=Derivation.choices, blank=True)
    derivation_amount = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=limits.derivation_validators,
        help_text="-10 with percent: 10% below the parent (percent: -100 to 1000).",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["property_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["property", "code"], name="rateplan_code_uniq"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="rateplan_not_own_parent"),
            models.CheckConstraint(
                condition=Q(fee_percent__isnull=True) | Q(fee_percent__gte=0, fee_percent__lte=limits.MAX_FEE_PERCENT),
                name="rateplan_fee_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(free_until_hours__isnull=True) | Q(free_until_hours__lte=limits.MAX_FREE_UNTIL_HOURS),
                name="rateplan_free_until_range",
            ),
            models.CheckConstraint(
                condition=Q(derivation_amount__gte=-limits.MAX_PRICE, derivation_amount__lte=limits.MAX_PRICE)
                & (
                    ~Q(derivation_kind="percent")
                    | Q(
                        derivation_amount__gte=limits.DERIVATION_PERCENT_RANGE[0],
                        derivation_amount__lte=limits.DERIVATION_PERCENT_RANGE[1],
                    )
                ),
                name="rateplan_derivation_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError({"parent": "A parent plan cannot itself be derived."})
        if self.parent_id and not self.derivation_kind:
            raise ValidationError({"derivation_kind": "Say how a derived plan prices off its parent."})
        if self.cancellation_kind == self.Cancellation.FREE and self.free_until_hours is None:
            raise ValidationError({"free_until_hours": "Free cancellation needs a deadline in hours."})
        if self.fee_kind == self.Fee.PERCENT and self.fee_percent is None:
            raise ValidationError({"fee_percent": "A percentage fee needs its percentage."})
        low, high = limits.DERIVATION_PERCENT_RANGE
        if self.derivation_kind == self.Derivation.PERCENT and not low <= (self.derivation_amount or 0) <= high:
            raise ValidationError({"derivation_amount": f"A percentage off the parent lies between {low} and {high}."})
        unknown = set(self.channels or []) - set(CHANNELS)
        if unknown:
            raise ValidationError({"channels": f"Unknown channels: {', '.join(sorted(unknown))}."})

    @builtins.property  # the `property` field shadows the builtin in this class body
    def policy(self) -> CancellationPolicy:
        if self.cancellation_kind == self.Cancellation.NON_REFUNDABLE:
            return CancellationPolicy(kind="non_refundable")
        return CancellationPolicy(
            kind="free_cancellation",
            free_until_hours=self.free_until_hours,
            fee_kind=self.fee_kind or "first_night",
            fee_percent=self.fee_percent if self.fee_kind == self.Fee.PERCENT else None,
        )

    def derive(self, parent_price: Decimal) -> Decimal:
        """A derived plan's price from its parent's (never below zero)."""
        if self.derivation_kind == self.Derivation.PERCENT:
            price = parent_price * (Decimal(100) + self.derivation_amount) / Decimal(100)
        else:
            price = parent_price + self.derivation_amount
        return max(price, Decimal(0)).quantize(Decimal("0.01"))
