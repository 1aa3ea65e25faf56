"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, an ephemeral port, messages kept in order.

    with SMTPServer() as server:                       # plain
    with SMTPServer(user="u", password="p") as server: # AUTH LOGIN/PLAIN required
    with SMTPServer(tls=True) as server:               # STARTTLS with a self-signed certificate
        ...  server.port, server.messages (list of email.message.Message), server.client_context

The self-signed certificate is made with the `openssl` command when `tls=True` (tests skip TLS
when it is missing).
"""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
import subprocess
import tempfile
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def have_openssl() -> bool:
    return shutil.which("openssl") is not None


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class _Collect:
    def __init__(self, server: SMTPServer):
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):  # noqa: N802  aiosmtpd's hook name
        self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.server.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        self.server.authenticated.append(bool(session.authenticated))
        return "250 OK"


class SMTPServer:
    def __init__(self, *, user: str | None = None, password: str | None = None, tls: bool = False):
        self.host = "127.0.0.1"
        self.port = free_port()
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.authenticated: list[bool] = []
        self.user, self.password, self.tls = user, password, tls
        self.client_context: ssl.SSLContext | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._controller: Controller | None = None

    def _authenticator(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.user
            and auth_data.password.decode() == self.password
        )
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    def start(self) -> SMTPServer:
        kwargs: dict = {}
        if self.user:
            kwargs.update(
                authenticator=self._authenticator, auth_require_tls=self.tls, auth_required=True
            )
        if self.tls:
            self._tmp = tempfile.TemporaryDirectory()
            cert, key = self_signed(Path(self._tmp.name))
            server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_context.load_cert_chain(cert, key)
            kwargs.update(tls_context=server_context, require_starttls=True)
            self.client_context = ssl.create_default_context(cafile=str(cert))
        self._controller = Controller(_Collect(self), hostname=self.host, port=self.port, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> SMTPServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
