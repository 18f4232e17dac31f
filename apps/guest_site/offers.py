"""Search results as the pages show them: per hotel, per room type, with suggestions when nothing fits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.availability import interface as availability
from apps.availability.interface import Offer, PropertyInfo, RoomTypeDetails, RoomTypeInfo

NEARBY_SHIFTS = (-1, 1, -2, 2, 7)  # days to move the stay when nothing fits; a fixed few, so queries stay bounded
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Where:
    """One hotel (property_id) or every hotel of a city."""

    property_id: int | None = None
    city: str = ""

    @classmethod
    def parse(cls, value: str) -> Where:
        if value.startswith("p") and value[1:].isdigit():
            return cls(property_id=int(value[1:]))
        return cls(city=value[1:]) if value.startswith("c") else cls()

    def search_kwargs(self) -> dict:
        return {"property_id": self.property_id} if self.property_id else {"city": self.city}


@dataclass
class RoomTypeCard:
    room_type: RoomTypeInfo
    details: RoomTypeDetails | None
    offers: list[Offer] = field(default_factory=list)

    @property
    def bookable(self) -> bool:
        return any(offer.bookable for offer in self.offers)


@dataclass
class HotelResults:
    hotel: PropertyInfo
    cards: list[RoomTypeCard] = field(default_factory=list)


@dataclass(frozen=True)
class NearbyStay:
    check_in: date
    check_out: date
    from_total: Decimal
    currency: str


@dataclass(frozen=True)
class SisterHotel:
    hotel: PropertyInfo
    from_total: Decimal
    currency: str


def places(hotels: list[PropertyInfo]) -> list[tuple[str, str]]:
    """Search choices: a whole city where several hotels share it (one search across them), then each hotel."""
    by_city: dict[str, int] = {}
    for hotel in hotels:
        by_city[hotel.city] = by_city.get(hotel.city, 0) + 1
    cities = [
        (f"c{city}", _("All hotels in %(city)s") % {"city": city}) for city, n in by_city.items() if city and n > 1
    ]
    return cities + [(f"p{hotel.id}", hotel.name) for hotel in hotels]


def group(offers: list[Offer], hotels: dict[int, PropertyInfo]) -> list[HotelResults]:
    """Offers in the order search gives them, grouped by hotel and room type (photos: two queries)."""
    details = availability.room_type_details(room_type_ids={offer.room_type.id for offer in offers})
    results: dict[int, HotelResults] = {}
    cards: dict[int, RoomTypeCard] = {}
    for offer in offers:
        hotel = results.setdefault(offer.property_id, HotelResults(hotels[offer.property_id]))
        card = cards.get(offer.room_type.id)
        if card is None:
            card = cards[offer.room_type.id] = RoomTypeCard(offer.room_type, details.get(offer.room_type.id))
            hotel.cards.append(card)
        card.offers.append(offer)
    for hotel in results.values():
        hotel.cards.sort(key=lambda card: not card.bookable)
    return list(results.values())


def cheapest(offers: list[Offer]) -> Offer | None:
    bookable = [offer for offer in offers if offer.bookable]
    return min(bookable, key=lambda offer: offer.total) if bookable else None


def nearby_stays(*, where: Where, check_in: date, check_out: date, today: date, **guests: int) -> list[NearbyStay]:
    """Other dates of the same length that have rooms, nearest first."""
    nights = check_out - check_in
    found = []
    for shift in NEARBY_SHIFTS:
        start = check_in + timedelta(days=shift)
        if start < today:
            continue
        best = cheapest(
            availability.search(check_in=start, check_out=start + nights, **where.search_kwargs(), **guests)
        )
        if best:
            found.append(NearbyStay(start, start + nights, best.total, best.currency))
        if len(found) == MAX_SUGGESTIONS:
            break
    return found


def sister_hotels(
    *, hotel: PropertyInfo, hotels: dict[int, PropertyInfo], check_in: date, check_out: date, **guests: int
) -> list[SisterHotel]:
    """Hotels of the group in the same city with rooms for exactly these dates."""
    if not hotel.city:
        return []
    offers = availability.search(check_in=check_in, check_out=check_out, city=hotel.city, **guests)
    sisters = []
    for sister_id in dict.fromkeys(offer.property_id for offer in offers if offer.property_id != hotel.id):
        best = cheapest([offer for offer in offers if offer.property_id == sister_id])
        if best and sister_id in hotels:
            sisters.append(SisterHotel(hotels[sister_id], best.total, best.currency))
    return sisters
