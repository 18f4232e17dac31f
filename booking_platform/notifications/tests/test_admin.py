import pytest
from django.contrib.auth.models import User
from django.test import Client

from booking_platform.events.tests.helpers import emit_committed
from booking_platform.notifications.models import Delivery
from booking_platform.notifications.testing import SmsSink, sms_server
from booking_platform.notifications.tests.helpers import notifier_registered

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_see_failed_deliveries_and_can_send_them_again(client: Client, settings) -> None:
    sink: SmsSink
    with notifier_registered(), sms_server() as sink:
        settings.SMS_BACKEND, settings.SMS_API_URL = "http", sink.url
        sink.statuses = [400]
        emit_committed("test.notify", "AGG-1", phones=["+4915100000001"])
        failed = Delivery.objects.get()
        assert (failed.status, failed.last_error) == ("failed", "PermanentDeliveryError: HTTP 400 from SMS provider")

        client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-123456789"))
        page = client.get("/admin/kernel/delivery/?status__exact=failed")
        assert page.status_code == 200
        assert "HTTP 400 from SMS provider" in page.content.decode()
        assert client.get(f"/admin/kernel/delivery/{failed.pk}/change/").status_code == 200  # view only
        assert client.get("/admin/kernel/delivery/add/").status_code == 403

        response = client.post(
            "/admin/kernel/delivery/", {"action": "retry_failed", "_selected_action": [failed.pk]}, follow=True
        )
        assert response.status_code == 200
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 2, "")
    assert [r["status"] for r in sink.requests] == [400, 200]


def test_anonymous_users_cannot_see_the_ledger(client: Client) -> None:
    response = client.get("/admin/kernel/delivery/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.get("/admin/kernel/outboxevent/").status_code == 302
