"""Render a `Digest` as Markdown, email-safe HTML or plain text, and build the email message.

Templates live in `templates/*.j2`: strict (a missing variable fails loudly), HTML autoescaped,
all styles inline and table layout, because mail clients drop <style>, CSS files and scripts.
Rendering is a pure function of the digest, so two renders of a week are byte-identical.
"""

from __future__ import annotations

import hashlib
import re
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assistant.digest.types import Digest
from assistant.digest.weeks import fmt_day, fmt_range
from assistant.errors import InvalidInput

Format = Literal["markdown", "html", "text"]
TEMPLATES = Path(__file__).parent / "templates"
_ALIASES = {"md": "markdown", "markdown": "markdown", "html": "html", "text": "text", "txt": "text"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def normalise_format(fmt: str) -> Format:
    try:
        return _ALIASES[fmt.lower()]  # type: ignore[return-value]
    except KeyError:
        raise InvalidInput(f"format must be one of md, html, text, not {fmt!r}") from None


def md_escape(value: object) -> str:
    """Escape Markdown syntax in text that came from a transcript."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


class Renderer:
    """Holds the two Jinja environments (HTML autoescaped; Markdown and text not)."""

    def __init__(self, templates: Path = TEMPLATES):
        def env(autoescape: bool) -> Environment:
            return Environment(
                loader=FileSystemLoader(str(templates)),
                undefined=StrictUndefined,
                autoescape=autoescape,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )

        self.html_env = env(True)
        self.text_env = env(False)
        self.text_env.filters["md"] = md_escape

    def render(self, digest: Digest, fmt: str = "markdown") -> str:
        kind = normalise_format(fmt)
        env = self.html_env if kind == "html" else self.text_env
        name = {"markdown": "digest.md.j2", "html": "digest.html.j2", "text": "digest.txt.j2"}
        out = env.get_template(name[kind]).render(
            d=digest,
            span=fmt_range(digest.start, digest.end),
            as_of=f"{fmt_day(digest.as_of)} {digest.as_of.year}",
        )
        # Blank-line runs come from skipped template branches; one blank line is enough.
        return re.sub(r"\n{3,}", "\n\n", out)


def message_id(subject: str, address: str) -> str:
    """The same Message-ID for the same digest and reader, so that a duplicate sent after a
    crash (see `service.py`) can be recognised by mail clients as the same message."""
    digest = hashlib.sha256(f"{subject}\x1f{address.lower()}".encode()).hexdigest()[:24]
    return f"<digest-{digest}@liaison>"


def email_message(
    *,
    sender: str,
    to_name: str,
    to_address: str,
    subject: str,
    text: str,
    html: str,
) -> EmailMessage:
    """multipart/alternative: the plain text first, the HTML second (clients show the last
    part they can display)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = formataddr((to_name, to_address))
    msg["Subject"] = subject
    msg["Message-ID"] = message_id(subject, to_address)
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg
