"""Deliverers: how a rendered digest reaches its reader. One protocol, one required method.

Every failure becomes `DeliveryError` with a one-line reason; the service records it in the
ledger and retries later.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from pathlib import Path
from typing import Protocol, runtime_checkable

import httpx

from assistant.config import Settings
from assistant.digest.render import email_message
from assistant.digest.types import RecipientIn
from assistant.errors import DeliveryError


@runtime_checkable
class Deliverer(Protocol):
    def send(
        self, recipient: RecipientIn, subject: str, text: str, html: str, markdown: str
    ) -> None:
        """Deliver one digest; raise `DeliveryError` with a one-line reason on failure."""
        ...


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


class SMTPDeliverer:
    """Sends a multipart/alternative email (text + HTML) with smtplib.

    `security`: "starttls" (upgrade a plain connection), "ssl" (TLS from the first byte) or
    "none". Logs in when a user is set. `ssl_context` lets tests trust a self-signed server.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str = "starttls",
        user: str | None = None,
        password: str | None = None,
        sender: str = "liaison@localhost",
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ):
        if security not in ("starttls", "ssl", "none"):
            raise DeliveryError(f"smtp_security must be starttls, ssl or none, not {security!r}")
        self.host, self.port, self.security = host, port, security
        self.user, self.password, self.sender = user, password, sender
        self.timeout = timeout
        self.ssl_context = ssl_context

    @classmethod
    def from_settings(cls, settings: Settings) -> SMTPDeliverer:
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            security=settings.smtp_security,
            user=settings.smtp_user,
            password=settings.smtp_password,
            sender=settings.smtp_from,
            timeout=settings.smtp_timeout_s,
        )

    def send(
        self, recipient: RecipientIn, subject: str, text: str, html: str, markdown: str
    ) -> None:
        msg = email_message(
            sender=self.sender,
            to_name=recipient.name,
            to_address=recipient.email,
            subject=subject,
            text=text,
            html=html,
        )
        where = f"SMTP {self.host}:{self.port}"
        context = self.ssl_context or ssl.create_default_context()
        try:
            if self.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=context)
                if self.user:
                    client.login(self.user, self.password or "")
                refused = client.send_message(msg)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"{where}: login refused ({exc.smtp_code})") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"{where}: server does not support {self.security}") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"{where}: recipient {recipient.email} refused") from exc
        except (smtplib.SMTPException, OSError) as exc:  # OSError covers timeouts
            raise DeliveryError(f"{where}: {_reason(exc)}") from exc
        if refused:
            raise DeliveryError(f"{where}: recipient {recipient.email} refused")


def slack_text(markdown: str) -> str:
    """Markdown → Slack mrkdwn: links <url|text>, bold *x*, headings as bold lines."""
    out = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r"<\2|\1>", markdown)
    out = re.sub(r"\*\*([^*]+)\*\*", r"*\1*", out)
    out = re.sub(r"^#{1,6}\s+(.*)$", r"*\1*", out, flags=re.MULTILINE)
    return re.sub(r"\\([\\`*_\[\]<>|])", r"\1", out)


def slack_payload(subject: str, markdown: str) -> dict:
    """`{"text", "blocks"}`: one section block per digest section (Slack caps a section's text
    at 3000 characters and a message at 50 blocks)."""
    parts = [p for p in re.split(r"\n(?=## )", markdown) if p.strip()]
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": subject[:150]}}]
    for part in parts[:48]:
        body = slack_text(part.strip())
        if len(body) > 3000:
            body = body[:2990].rsplit("\n", 1)[0] + "\n…"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body}})
    return {"text": subject, "blocks": blocks}


class WebhookDeliverer:
    """POSTs a Slack-compatible JSON message to an incoming-webhook URL."""

    def __init__(
        self, url: str | None, *, timeout: float = 15.0, client: httpx.Client | None = None
    ):
        self.url = url
        self.timeout = timeout
        self.client = client

    def send(
        self, recipient: RecipientIn, subject: str, text: str, html: str, markdown: str
    ) -> None:
        url = recipient.webhook_url or self.url
        if not url:
            raise DeliveryError(
                f"no webhook URL for {recipient.name}: set LIAISON_WEBHOOK_URL or the recipient's"
                " webhook_url"
            )
        payload = slack_payload(subject, markdown)
        try:
            if self.client is not None:
                response = self.client.post(url, json=payload, timeout=self.timeout)
            else:
                response = httpx.post(url, json=payload, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook {url}: {_reason(exc)}") from exc
        if response.status_code >= 300:
            said = " ".join(response.text[:200].split())
            raise DeliveryError(f"webhook {url}: HTTP {response.status_code} {said}")


class FolderDeliverer:
    """Writes `<week>-<name>.md`, `.html` and `.eml` into a folder (atomically, by rename)."""

    def __init__(self, folder: Path, sender: str = "liaison@localhost"):
        self.folder = Path(folder)
        self.sender = sender

    def send(
        self, recipient: RecipientIn, subject: str, text: str, html: str, markdown: str
    ) -> None:
        week = re.search(r"\d{4}-W\d{2}", subject)
        name = re.sub(r"[^a-z0-9]+", "-", recipient.name.lower()).strip("-") or "reader"
        # A meeting recap has no week: its subject (meeting and day) names the file instead.
        topic = re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-")[:80]
        stem = f"{week.group(0)}-{name}" if week else f"{topic}-{name}"
        msg = email_message(
            sender=self.sender,
            to_name=recipient.name,
            to_address=recipient.email,
            subject=subject,
            text=text,
            html=html,
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for suffix, data in (
                (".md", markdown.encode()),
                (".html", html.encode()),
                (".eml", msg.as_bytes()),
            ):
                target = self.folder / f"{stem}{suffix}"
                tmp = target.with_suffix(suffix + ".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)
        except OSError as exc:
            raise DeliveryError(f"folder {self.folder}: {exc.strerror or _reason(exc)}") from exc

    def paths(self, stem: str) -> list[Path]:
        return [self.folder / f"{stem}{s}" for s in (".md", ".html", ".eml")]


def default_deliverers(settings: Settings) -> dict[str, Deliverer]:
    """The real deliverers, keyed by recipient channel."""
    return {
        "email": SMTPDeliverer.from_settings(settings),
        "webhook": WebhookDeliverer(settings.webhook_url),
        "folder": FolderDeliverer(
            settings.digest_folder or settings.home / "digests", settings.smtp_from
        ),
    }
