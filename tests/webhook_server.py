"""A real local HTTP receiver for webhook tests (stdlib http.server in a thread).

with WebhookServer() as hook:          # answers 200
    hook.url, hook.received (parsed JSON bodies), hook.status = 500 to make it fail
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class WebhookServer:
    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[dict] = []
        self.headers: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                code = owner.status
                if code < 300:
                    owner.received.append(json.loads(body))
                    owner.headers.append(dict(self.headers))
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
