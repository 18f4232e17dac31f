"""The partner's booking events as a replayable feed, and its webhooks with their deliveries."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apps.partners import webhooks
from apps.partners.feed import feed_page
from apps.partners.models import Scope, Webhook, WebhookDelivery
from apps.partners.serializers import (
    CursorQuery,
    DeliveryOut,
    DeliveryPageOut,
    EventPageOut,
    FeedQuery,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
    WebhookPageOut,
)
from apps.partners.views.base import PartnerView
from booking_platform.api.pagination import decode_cursor, encode_cursor
from booking_platform.errors import NotFound


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class EventFeedView(PartnerView):
    scopes = {"GET": Scope.BOOKINGS_READ}

    @extend_schema(parameters=[FeedQuery], responses=EventPageOut, operation_id="events_list")
    def get(self, request: Request) -> Response:
        """Read on from any cursor (``after``) as often as needed; the same cursor gives the same events.

        The cursor is the entry's per-partner ``seq``, numbered in commit order, so paging on never skips
        an event that committed late.
        """
        q = _valid(FeedQuery, request.query_params.dict())
        after = decode_cursor(q.get("after"), field="after")
        rows = feed_page(partner_id=self.partner.pk, after=after, limit=q["limit"])
        items = rows[: q["limit"]]
        return Response(
            {
                "results": [webhooks.event_body(row, cursor=encode_cursor(row.seq)) for row in items],
                "next_cursor": encode_cursor(items[-1].seq) if items else q.get("after"),
            }
        )


class WebhookListView(PartnerView):
    scopes = {"*": Scope.WEBHOOKS_MANAGE}

    @extend_schema(responses=WebhookPageOut, operation_id="webhooks_list")
    def get(self, request: Request) -> Response:
        hooks = Webhook.objects.filter(partner=self.partner).order_by("id")
        return Response({"results": WebhookOut(hooks, many=True).data})

    @extend_schema(request=WebhookIn, responses={201: WebhookCreatedOut}, operation_id="webhooks_create")
    def post(self, request: Request) -> Response:
        """Register a URL; the answer carries the signing secret, shown this once."""

        def work() -> Response:
            data = _valid(WebhookIn, request.data)
            hook = webhooks.webhook_create(partner=self.partner, url=data["url"], event_types=data["event_types"])
            return Response(WebhookCreatedOut(hook).data, status=status.HTTP_201_CREATED)

        return self.idempotent(request, work)


def _own_webhook(view: PartnerView, webhook_id: int) -> Webhook:
    hook = Webhook.objects.filter(pk=webhook_id, partner=view.partner).first() if webhook_id < 2**63 else None
    if hook is None:
        raise NotFound("No such webhook.", code="webhook_not_found")
    return hook


class WebhookDetailView(PartnerView):
    scopes = {"*": Scope.WEBHOOKS_MANAGE}

    @extend_schema(responses=WebhookOut, operation_id="webhooks_retrieve")
    def get(self, request: Request, webhook_id: int) -> Response:
        return Response(WebhookOut(_own_webhook(self, webhook_id)).data)

    @extend_schema(responses={204: None}, operation_id="webhooks_destroy")
    def delete(self, request: Request, webhook_id: int) -> Response:
        _own_webhook(self, webhook_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListView(PartnerView):
    scopes = {"GET": Scope.WEBHOOKS_MANAGE}

    @extend_schema(parameters=[CursorQuery], responses=DeliveryPageOut, operation_id="webhooks_deliveries")
    def get(self, request: Request, webhook_id: int) -> Response:
        """Newest first: what was sent, how often, and what the receiver answered."""
        hook = _own_webhook(self, webhook_id)
        q = _valid(CursorQuery, request.query_params.dict())
        rows = WebhookDelivery.objects.filter(webhook=hook).order_by("-id")
        before = decode_cursor(q.get("cursor"))
        if before is not None:
            rows = rows.filter(id__lt=before)
        found = list(rows[: q["limit"] + 1])
        items = found[: q["limit"]]
        return Response(
            {
                "results": DeliveryOut(items, many=True).data,
                "next_cursor": encode_cursor(items[-1].pk) if len(found) > q["limit"] else None,
            }
        )
