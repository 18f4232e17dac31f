"""What a guest-facing site shows of the catalogue: hotels on sale, and room types with beds, size and photos."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from apps.availability.domain import PropertyInfo
from apps.availability.models import Property, RoomType, RoomTypePhoto
from apps.availability.selectors.catalogue import property_info


@dataclass(frozen=True)
class Photo:
    url: str  # through Django storage (the local media folder in the embedded default)
    caption: str


@dataclass(frozen=True)
class RoomTypeDetails:
    id: int
    description: str
    bed_setup: str
    size_sqm: int | None
    amenities: tuple[str, ...]
    photos: tuple[Photo, ...]


def active_properties() -> list[PropertyInfo]:
    """Every hotel on sale, by city then name (one query)."""
    return [property_info(prop) for prop in Property.objects.filter(is_active=True).order_by("city", "name", "pk")]


def room_type_details(*, room_type_ids: Collection[int]) -> dict[int, RoomTypeDetails]:
    """Descriptions and photos for the room types a page shows (two queries, however many)."""
    room_types = RoomType.objects.filter(pk__in=list(room_type_ids)).prefetch_related("photos")
    return {
        room_type.pk: RoomTypeDetails(
            id=room_type.pk,
            description=room_type.description,
            bed_setup=room_type.bed_setup,
            size_sqm=room_type.size_sqm,
            amenities=tuple(str(item) for item in room_type.amenities or ()),
            photos=tuple(Photo(url=photo.image.url, caption=photo.caption) for photo in room_type.photos.all()),
        )
        for room_type in room_types
    }


def property_photos(*, property_ids: Collection[int]) -> dict[int, tuple[Photo, ...]]:
    """Each hotel's room photos, first room type first, for its card on a guest page (one query)."""
    photos: dict[int, list[Photo]] = {pk: [] for pk in property_ids}
    rows = RoomTypePhoto.objects.filter(
        room_type__property_id__in=list(property_ids), room_type__is_active=True
    ).select_related("room_type")
    ordered = sorted(rows, key=lambda p: (p.room_type.sort_order, p.room_type_id, p.position, p.pk))
    for photo in ordered:
        photos[photo.room_type.property_id].append(Photo(url=photo.image.url, caption=photo.caption))
    return {pk: tuple(found) for pk, found in photos.items()}
