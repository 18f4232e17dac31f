"""Probes answer a kubelet's Host (the pod IP) while every other page still checks ALLOWED_HOSTS."""

import logging

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["10.1.2.3:8000", "127.0.0.1:8000", "[fd00::7]:8000", "evil.example"])
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_whatever_host_they_get(client: Client, host: str, path: str) -> None:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/metrics", "/nowhere", "/healthz/", "/readyzx"])
def test_other_paths_still_refuse_a_host_not_allowed(client: Client, path: str) -> None:
    assert client.get(path, HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_a_probe_refuses_writes_whatever_the_host(client: Client) -> None:
    assert client.post("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 405


@pytest.mark.django_db
def test_a_disallowed_host_is_one_warning_without_a_traceback(client: Client, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        response = client.get("/admin/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    bad_host = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(bad_host) == 1
    assert (bad_host[0].levelname, bad_host[0].exc_info, bad_host[0].exc_text) == ("WARNING", None, None)
    assert "evil.example" in bad_host[0].getMessage()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
