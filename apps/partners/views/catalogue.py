"""Properties a partner may sell, their room types and rate plans, and availability offers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.availability import interface as availability
from apps.partners import presenters
from apps.partners.models import Partner, Scope
from apps.partners.serializers import AvailabilityOut, AvailabilityQuery, PropertyDetailOut, PropertyPageOut
from apps.partners.views.base import PartnerView
from booking_platform.errors import NotFound

# The availability channel partner rate plans are sold on.
SALES_CHANNEL = "partner"


def sellable_properties(partner: Partner) -> list[availability.PropertyInfo]:
    return [prop for prop in availability.active_properties() if partner.may_sell(prop.id)]


def property_for(partner: Partner, slug: str, *, field: str = "property") -> availability.PropertyInfo:
    """The property by slug; one the partner may not sell is reported exactly like one that does not exist."""
    prop = availability.property_by_slug(slug)
    if prop is None or not partner.may_sell(prop.id):
        raise NotFound("No such property.", code="property_not_found", extra={"field": field})
    return prop


class PropertyListView(PartnerView):
    scopes = {"GET": Scope.AVAILABILITY_READ}

    @extend_schema(responses=PropertyPageOut, operation_id="properties_list")
    def get(self, request: Request) -> Response:
        return Response({"results": [presenters.property_summary(p) for p in sellable_properties(self.partner)]})


class PropertyDetailView(PartnerView):
    scopes = {"GET": Scope.AVAILABILITY_READ}

    @extend_schema(responses=PropertyDetailOut, operation_id="properties_retrieve")
    def get(self, request: Request, slug: str) -> Response:
        prop = property_for(self.partner, slug, field="slug")
        room_types = availability.room_types_of_properties([prop.id])
        plans = [p for p in availability.rate_plans_of_properties([prop.id]) if SALES_CHANNEL in p.channels]
        return Response(presenters.property_detail(prop, room_types=room_types, rate_plans=plans))


class AvailabilityView(PartnerView):
    scopes = {"GET": Scope.AVAILABILITY_READ}

    @extend_schema(parameters=[AvailabilityQuery], responses=AvailabilityOut, operation_id="availability_search")
    def get(self, request: Request) -> Response:
        query = AvailabilityQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        q: dict[str, Any] = query.validated_data
        prop = property_for(self.partner, q["property"])
        offers = availability.search(
            check_in=q["check_in"],
            check_out=q["check_out"],
            adults=q["adults"],
            children=q["children"],
            rooms=q["rooms"],
            property_id=prop.id,
            channel=SALES_CHANNEL,
        )
        return Response(
            {
                "property": prop.slug,
                "check_in": q["check_in"],
                "check_out": q["check_out"],
                "offers": [presenters.offer(o) for o in offers],
            }
        )
