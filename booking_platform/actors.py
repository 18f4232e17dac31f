"""Who acts: recorded in audit trails and carried in events by every context.

A kernel value because customers (erasure), partners (API keys), the admin and bookings all
name the one who acts, and none of them should import another context to do so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class ActorKind(models.TextChoices):
    GUEST = "guest", "Guest"
    STAFF = "staff", "Staff"
    PARTNER = "partner", "Partner"
    SYSTEM = "system", "System"


@dataclass(frozen=True)
class Actor:
    """A guest (customer id), a staff user (user id), a partner (partner id) or the system (a name)."""

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
