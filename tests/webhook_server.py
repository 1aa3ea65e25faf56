"""A real local HTTP receiver for webhook tests (stdlib http.server in a thread).

with WebhookServer() as hook:          # answers 200
    hook.url, hook.received (parsed JSON bodies), hook.status = 500 to make it fail

with WebhookServer(fail_first=2, secret="whsec_…") as hook:   # 500 twice, then 200
    hook.attempts (every request), hook.bodies (raw bytes of the accepted ones),
    hook.verified (for each accepted one: did X-Liaison-Signature check out with `secret`)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def check_signature(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does (the README's snippet): HMAC-SHA256 of '<timestamp>.<body>'."""
    headers = {k.lower(): v for k, v in headers.items()}
    timestamp = headers.get("x-liaison-timestamp", "")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    given = headers.get("x-liaison-signature", "")
    return hmac.compare_digest("sha256=" + expected.hexdigest(), given)


class WebhookServer:
    def __init__(self, status: int = 200, *, fail_first: int = 0, secret: str | None = None):
        self.status = status
        self.fail_first = fail_first
        self.secret = secret
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.bodies: list[bytes] = []
        self.verified: list[bool] = []
        self.attempts = 0
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with owner._lock:
                    owner.attempts += 1
                    code = 500 if owner.attempts <= owner.fail_first else owner.status
                    if code < 300:
                        headers = dict(self.headers)
                        owner.received.append(json.loads(body))
                        owner.headers.append(headers)
                        owner.bodies.append(body)
                        if owner.secret is not None:
                            owner.verified.append(check_signature(owner.secret, headers, body))
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if code < 300 else b"receiver is down")

            def log_message(self, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/digest"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
