"""Email through Django's mail, SMS through a pluggable backend; errors sorted into retry or give up."""

from __future__ import annotations

import json
import logging
import smtplib
import sys
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string

from booking_platform.notifications.registry import EmailMessage, SmsMessage

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """Sending failed; ``retryable`` says whether trying again later can help."""

    retryable = False


class RetryableDeliveryError(DeliveryError):
    retryable = True


class PermanentDeliveryError(DeliveryError):
    retryable = False


def send_email(message: EmailMessage, recipient: str, *, headers: dict[str, str] | None = None) -> None:
    """One recipient per message, so one bad address never blocks the others."""
    email = mail.EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[recipient],
        reply_to=list(message.reply_to),
        headers=headers or {},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        temporary = all(400 <= code < 500 for code, _ in exc.recipients.values())  # greylisting, mailbox full
        raise (RetryableDeliveryError if temporary else PermanentDeliveryError)(
            f"recipient refused: {_codes(exc)}"
        ) from exc
    except smtplib.SMTPResponseException as exc:
        error = f"SMTP {exc.smtp_code}"  # the server's text can quote the address: the code is enough
        raise (RetryableDeliveryError if 400 <= exc.smtp_code < 500 else PermanentDeliveryError)(error) from exc
    except smtplib.SMTPException as exc:  # disconnects; a server's text can quote the message
        raise RetryableDeliveryError(type(exc).__name__) from exc
    except OSError as exc:  # timeouts, refused connections: the text names our server, not the guest
        raise RetryableDeliveryError(f"{type(exc).__name__}: {exc}"[:500]) from exc


def _codes(exc: smtplib.SMTPRecipientsRefused) -> str:
    """The SMTP codes without the addresses (they are personal data)."""
    return ", ".join(str(code) for code, _ in exc.recipients.values())


class SmsBackend(Protocol):
    def send(self, message: SmsMessage, recipient: str, *, idempotency_key: str) -> str:
        """Send one SMS; return the provider's message id (or "")."""
        ...


class ConsoleSmsBackend:
    """The embedded default: print the SMS where Django's console mail prints emails."""

    def send(self, message: SmsMessage, recipient: str, *, idempotency_key: str) -> str:
        sys.stdout.write(f"SMS to {recipient} (id {idempotency_key}):\n{message.text}\n{'-' * 40}\n")
        sys.stdout.flush()
        return ""


class HttpSmsBackend:
    """A Twilio-style JSON REST provider: POST {from,to,text} with a bearer key.

    Sends an ``Idempotency-Key`` (the delivery id) so a provider that honours it drops
    a resend after a crash. 429 and 5xx are retried; other 4xx are final.
    """

    def __init__(self, *, url: str, api_key: str, sender: str, timeout: float) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("SMS_API_URL must be an http(s) URL")
        self.url, self.api_key, self.sender, self.timeout = url, api_key, sender, timeout

    def send(self, message: SmsMessage, recipient: str, *, idempotency_key: str) -> str:
        body = json.dumps({"from": self.sender, "to": recipient, "text": message.text}).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.api_key}",
                "Idempotency-Key": idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                reply = response.read()
        except urllib.error.HTTPError as exc:
            error = f"HTTP {exc.code} from SMS provider"
            raise (RetryableDeliveryError if exc.code == 429 or exc.code >= 500 else PermanentDeliveryError)(
                error
            ) from exc
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise RetryableDeliveryError(f"SMS provider unreachable: {type(exc).__name__}") from exc
        try:
            return str(json.loads(reply or b"{}").get("id", ""))
        except (ValueError, AttributeError):
            return ""


def sms_backend() -> SmsBackend:
    """The backend named by SMS_BACKEND: console, http, or a dotted path."""
    name = settings.SMS_BACKEND
    if name == "console":
        return ConsoleSmsBackend()
    if name == "http":
        return HttpSmsBackend(
            url=settings.SMS_API_URL,
            api_key=settings.SMS_API_KEY,
            sender=settings.SMS_FROM,
            timeout=settings.SMS_TIMEOUT,
        )
    return import_string(name)()
