"""Who acts on a booking: recorded in the audit trail and carried in events."""

from __future__ import annotations

from dataclasses import dataclass

from apps.bookings.models import ActorKind


@dataclass(frozen=True)
class Actor:
    kind: str  # "guest" | "staff" | "partner" | "system"
    id: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ActorKind.values:
            raise ValueError(f"unknown actor kind {self.kind!r}")
        object.__setattr__(self, "id", str(self.id))

    @classmethod
    def guest(cls, customer_id: int | str) -> Actor:
        return cls(ActorKind.GUEST, str(customer_id))

    @classmethod
    def staff(cls, user_id: int | str) -> Actor:
        return cls(ActorKind.STAFF, str(user_id))

    @classmethod
    def partner(cls, partner_id: int | str) -> Actor:
        return cls(ActorKind.PARTNER, str(partner_id))

    @classmethod
    def system(cls, name: str = "") -> Actor:
        return cls(ActorKind.SYSTEM, name)

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id}


SYSTEM = Actor.system("clock")
