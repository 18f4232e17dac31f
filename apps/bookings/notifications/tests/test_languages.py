"""Guest emails in the guest's language (de/fr/es, English otherwise); the committed catalogs are compiled.

Rendered straight from an event (no booking services, no mail server): what the guest reads.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime, time
from html import unescape
from pathlib import Path

import icalendar
import pytest
from django.conf import settings
from django.utils import translation

from apps.availability.interface import CancellationPolicy
from apps.availability.tests.factories import PropertyFactory
from apps.bookings.notifications.rendering import render_admin_email, render_guest_email
from apps.customers.tests.factories import CustomerFactory
from booking_platform.events.types import Event
from booking_platform.notifications.registry import EmailMessage

pytestmark = pytest.mark.django_db

CHECK_IN, CHECK_OUT = date(2030, 3, 10), date(2030, 3, 13)
REFERENCE = "K7M-4QXP-9TRA"
FIRST_NIGHT_48H = {"kind": "free_cancellation", "free_until_hours": 48, "fee_kind": "first_night", "fee_percent": None}
APPS = Path(settings.BASE_DIR) / "apps"
CATALOGS = sorted([*APPS.glob("bookings/notifications/locale/*/LC_MESSAGES/django.po")]) + sorted(
    APPS.glob("availability/locale/*/LC_MESSAGES/django.po")
)


def event(property_id: int, customer_id: int, *, event_type: str = "booking.confirmed", **payload: object) -> Event:
    nights = [{"night": f"2030-03-{day}", "price": "412.50"} for day in (10, 11, 12)]
    body = {
        "reference": REFERENCE,
        "booking_id": 12,
        "property_id": property_id,
        "customer_id": customer_id,
        "status": "confirmed",
        "channel": "web",
        "language": "en",
        "check_in": CHECK_IN.isoformat(),
        "check_out": CHECK_OUT.isoformat(),
        "currency": "EUR",
        "total": "1237.50",
        "taxes": "112.50",
        "cancellation_fee": "0.00",
        "policy": FIRST_NIGHT_48H,
        # worded in English when booked; the guest reads the terms told again in their language
        "policy_text": "Free cancellation until 8 Mar 2030 15:00 (hotel time); after that the first night is charged.",
        "rooms": [
            {
                "room_type_id": 3,
                "room_type_name": "Double",
                "rate_plan_id": 1,
                "rate_plan_name": "Flexible",
                "adults": 2,
                "children": 1,
                "nights": nights,
            }
        ],
        "actor": {"kind": "guest", "id": str(customer_id)},
    }
    body.update(payload)
    return Event(
        pk=41,
        event_id=uuid.uuid4(),
        event_type=event_type,
        aggregate_type="booking",
        aggregate_id=REFERENCE,
        occurred_at=datetime(2030, 1, 5, 9, 30, tzinfo=UTC),
        payload=body,
        payload_version=1,
    )


def guest_mail(language: str, *, event_type: str = "booking.confirmed", **payload: object) -> EmailMessage:
    prop = PropertyFactory(name="Hotel Kastanie", check_in_time=time(15, 0), check_out_time=time(11, 0))
    guest = CustomerFactory(email="anna@guest.example", first_name="Anna", last_name="Berg", language=language)
    return render_guest_email(event(prop.pk, guest.pk, event_type=event_type, **payload), guest.email)


def calendar_description(mail: EmailMessage) -> str:
    [attachment] = mail.attachments
    [stay] = icalendar.Calendar.from_ical(attachment.content).walk("VEVENT")
    return str(stay["description"])


def test_a_german_guest_reads_german() -> None:
    mail = guest_mail("de")
    html = unescape(mail.html)

    assert mail.subject == f"Buchungsbestätigung {REFERENCE} – Hotel Kastanie"
    assert mail.text.startswith(
        "Hallo Anna,\n\nvielen Dank, dass Sie bei Hotel Kastanie gebucht haben. Hiermit bestätigen wir Ihre Buchung.\n"
    )
    for lines in (
        f"Buchungsnummer: {REFERENCE}",
        "Anreise: 10. März 2030 ab 15:00 Uhr",
        "Abreise: 13. März 2030 bis 11:00 Uhr",
        "Nächte: 3",
        "Zimmer: Double (Flexible), 2 Erwachsene, 1 Kind",
        "Gesamtbetrag: 1.237,50 EUR (inkl. 112,50 EUR Steuern)",
        "Stornobedingungen: Kostenlose Stornierung bis 8. März 2030, 15:00 Uhr (Ortszeit des Hotels); "
        "danach wird die erste Nacht berechnet.",
        f"Buchung ansehen, ändern oder stornieren: http://127.0.0.1:8000/bookings/{REFERENCE}/",
        "Mit freundlichen Grüßen\nHotel Kastanie",
    ):
        assert lines in mail.text
    assert '<html lang="de">' in html
    assert "<td><strong>1.237,50 EUR</strong> (inkl. 112,50 EUR Steuern)</td>" in html
    assert '<th align="left">Anreise</th><td>10. März 2030 ab 15:00 Uhr</td>' in html
    assert "Kostenlose Stornierung bis 8. März 2030, 15:00 Uhr (Ortszeit des Hotels)" in html
    assert ">Buchung ansehen, ändern oder stornieren</a>" in html
    assert "Dear" not in mail.text + html
    assert "Total" not in mail.text + html
    assert calendar_description(mail) == (
        f"Double, 3 Nächte. Buchung verwalten: http://127.0.0.1:8000/bookings/{REFERENCE}/"
    )


def test_a_french_guest_reads_french() -> None:
    mail = guest_mail("fr")
    html = unescape(mail.html)

    assert mail.subject == f"Confirmation de votre réservation {REFERENCE} – Hotel Kastanie"
    assert mail.text.startswith(
        "Bonjour Anna,\n\nMerci d’avoir réservé chez Hotel Kastanie. Votre réservation est confirmée.\n"
    )
    for lines in (
        f"Référence de réservation: {REFERENCE}",
        "Arrivée: 10 mars 2030 à partir de 15:00",
        "Départ: 13 mars 2030 jusqu’à 11:00",
        "Nuits: 3",
        "Chambre: Double (Flexible), 2 adultes, 1 enfant",
        "Montant total: 1\xa0237,50 EUR (dont 112,50 EUR de taxes)",
        "Conditions d’annulation: Annulation gratuite jusqu’au 8 mars 2030 à 15h00 (heure locale de l’hôtel) ; "
        "ensuite, la première nuit est facturée.",
        "Cordialement,\nHotel Kastanie",
    ):
        assert lines in mail.text
    assert '<html lang="fr">' in html
    assert "<td><strong>1\xa0237,50 EUR</strong> (dont 112,50 EUR de taxes)</td>" in html
    assert ">Consulter, modifier ou annuler votre réservation</a>" in html
    assert calendar_description(mail).startswith("Double, 3 nuits. Gérer votre réservation : http://")


def test_a_spanish_guest_reads_spanish() -> None:
    mail = guest_mail("es")
    html = unescape(mail.html)

    assert mail.subject == f"Confirmación de su reserva {REFERENCE} – Hotel Kastanie"
    assert mail.text.startswith("Hola, Anna:\n\nGracias por reservar en Hotel Kastanie. Su reserva está confirmada.\n")
    for lines in (
        f"Referencia de la reserva: {REFERENCE}",
        "Llegada: 10 de marzo de 2030 a partir de las 15:00",
        "Salida: 13 de marzo de 2030 hasta las 11:00",
        "Noches: 3",
        "Habitación: Double (Flexible), 2 adultos, 1 niño",
        "Importe total: 1\xa0237,50 EUR (impuestos incluidos: 112,50 EUR)",
        "Condiciones de cancelación: Cancelación gratuita hasta el 8 de marzo de 2030 a las 15:00 "
        "(hora local del hotel); después, se cobra la primera noche.",
        "Un cordial saludo,\nHotel Kastanie",
    ):
        assert lines in mail.text
    assert '<html lang="es">' in html
    assert "<td><strong>1\xa0237,50 EUR</strong> (impuestos incluidos: 112,50 EUR)</td>" in html
    assert ">Consultar, modificar o cancelar su reserva</a>" in html
    assert calendar_description(mail).startswith("Double, 3 noches. Gestione su reserva: http://")


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("de", f"Ihre Buchung {REFERENCE} wurde storniert"),
        ("fr", f"Votre réservation {REFERENCE} a été annulée"),
        ("es", f"Su reserva {REFERENCE} ha sido cancelada"),
    ],
)
def test_a_cancellation_is_told_in_the_guests_language(language: str, subject: str) -> None:
    mail = guest_mail(language, event_type="booking.cancelled", cancellation_fee="412.50", status="cancelled")

    assert mail.subject == subject
    fee = {
        "de": "Stornogebühr: 412,50 EUR",
        "fr": "Frais d’annulation: 412,50 EUR",
        "es": "Gastos de cancelación: 412,50 EUR",
    }
    assert fee[language] in mail.text


def test_a_change_shows_the_previous_stay_in_the_guests_locale() -> None:
    previous = {"check_in": "2030-03-09", "check_out": "2030-03-12", "total": "1100.00"}
    mail = guest_mail("de", event_type="booking.modified", previous=previous)

    assert mail.subject == f"Ihre Buchung {REFERENCE} wurde geändert"
    assert "Ihre Buchung wurde geändert. Hier sind die neuen Angaben." in mail.text
    assert "Bisher: 9. März 2030 – 12. März 2030, 1.100,00 EUR" in mail.text


@pytest.mark.parametrize("language", ["", "xx", "pt", "it"])
def test_an_unknown_language_falls_back_to_english(language: str) -> None:
    mail = guest_mail(language)

    assert mail.subject == f"Your booking {REFERENCE} at Hotel Kastanie is confirmed"
    assert mail.text.startswith("Dear Anna,\n\nThank you for booking with Hotel Kastanie. Your booking is confirmed.\n")
    assert "Check-in: March 10, 2030 from 15:00" in mail.text
    assert "Total: 1,237.50 EUR (including 112.50 EUR taxes)" in mail.text
    assert (
        "Cancellation terms: Free cancellation until 8 Mar 2030 15:00 (hotel time); "
        "after that the first night is charged."
    ) in mail.text
    assert '<html lang="en">' in mail.html
    assert calendar_description(mail).startswith("Double, 3 nights. Manage your booking: http://")


def test_a_regional_variant_gets_its_language() -> None:
    assert guest_mail("de-AT").subject == f"Buchungsbestätigung {REFERENCE} – Hotel Kastanie"


def test_the_hotel_team_reads_english_whatever_the_guest_speaks() -> None:
    prop = PropertyFactory(name="Hotel Kastanie")
    guest = CustomerFactory(first_name="Anna", last_name="Berg", language="fr")
    with translation.override("de"):  # e.g. sent from a request the guest made in German
        mail = render_admin_email(event(prop.pk, guest.pk, language="fr"), "frontdesk@hotel.example")

    assert mail.subject.startswith(f"[Hotel Kastanie] Booking confirmed: {REFERENCE}, Anna Berg")
    assert (
        "Policy:    Free cancellation until 8 Mar 2030 15:00 (hotel time); after that the first night is charged."
        in (mail.text)
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Free cancellation until 24 hours before arrival; after that 12.5% of the stay is charged."),
        (
            "de",
            "Kostenlose Stornierung bis 24 Stunden vor der Anreise; "
            "danach werden 12,5 % des Aufenthaltspreises berechnet.",
        ),
        (
            "fr",
            "Annulation gratuite jusqu’à 24 heures avant l’arrivée ; ensuite, 12,5 % du prix du séjour est facturé.",
        ),
        (
            "es",
            "Cancelación gratuita hasta 24 horas antes de la llegada; "
            "después, se cobra el 12,5 % del importe de la estancia.",
        ),
    ],
)
def test_availability_words_the_terms_in_the_active_language(language: str, words: str) -> None:
    policy = CancellationPolicy(kind="free_cancellation", free_until_hours=24, fee_kind="percent", fee_percent=None)
    policy = CancellationPolicy.from_dict({**policy.to_dict(), "fee_percent": "12.50"})
    with translation.override(language):
        assert policy.describe() == words
        assert policy.describe(check_in=CHECK_IN, check_in_time=time(15, 0), timezone="Europe/Berlin")


def test_non_refundable_terms_are_translated() -> None:
    with translation.override("fr"):
        assert CancellationPolicy(kind="non_refundable").describe() == (
            "Non remboursable : la totalité du séjour est facturée à la réservation et rien n’est remboursé."
        )


# --- the committed catalogs -------------------------------------------------------------------------------------

MSGFMT = shutil.which("msgfmt")


def test_every_language_has_both_catalogs() -> None:
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    for base in ("bookings/notifications/locale", "availability/locale"):
        found = {path.parent.parent.name for path in APPS.glob(f"{base}/*/LC_MESSAGES/django.po")}
        assert found == languages, base
    assert len(CATALOGS) == 2 * len(languages)


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(APPS)))
def test_the_committed_mo_is_compiled_from_the_po_and_complete(po: Path, tmp_path: Path) -> None:
    """Same messages as a fresh compile (compared as catalogs, not bytes: msgfmt versions lay files out
    differently); every message translated, none fuzzy; formats checked as compilemessages does."""
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", str(fresh), str(po)],
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    committed = po.with_suffix(".mo")
    assert committed.exists(), (
        f"run: DJANGO_SECRET_KEY=x .venv/bin/python manage.py compilemessages --ignore .venv ({po})"
    )
    with committed.open("rb") as old, fresh.open("rb") as new:
        assert gettext.GNUTranslations(old)._catalog == gettext.GNUTranslations(new)._catalog, (
            f"{committed} is stale: run DJANGO_SECRET_KEY=x .venv/bin/python manage.py compilemessages --ignore .venv"
        )
