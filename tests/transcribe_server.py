"""A real OpenAI-compatible transcription server on 127.0.0.1, for tests.

    with FakeTranscriber() as server:
        server.queue({"text": "...", "segments": [...]})      # a 200 with this JSON body
        server.queue(Reply(status=500, body={"error": "busy"}), Reply(delay_s=30))
        HttpTranscriber(server.base_url, model="whisper-1").transcribe(data, "call.wav")
        server.requests[0]["fields"]["model"], server.requests[0]["file"]

`POST /v1/audio/transcriptions` takes a multipart form; replies are served in order (500 when
none is left). A delayed reply ends early when the server closes, so a test never hangs on it.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    body: Any = field(default_factory=lambda: {"text": ""})
    status: int = 200
    delay_s: float = 0.0


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, list[str]], bytes | None]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, list[str]] = {}
    data = None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            data = payload
        else:
            fields.setdefault(name, []).append(payload.decode())
    return fields, data


class FakeTranscriber:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.closing = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                fields, data = parse_multipart(
                    self.headers["Content-Type"], self.rfile.read(length)
                )
                server.requests.append(
                    {
                        "path": self.path,
                        "fields": fields,
                        "file": data,
                        "authorization": self.headers.get("Authorization"),
                    }  # fmt: skip
                )
                reply = (
                    server.replies.popleft()
                    if server.replies
                    else Reply(status=500, body={"error": "no scripted reply"})
                )
                if reply.delay_s:
                    server.closing.wait(reply.delay_s)
                if self.path != "/v1/audio/transcriptions":
                    reply = Reply(status=404, body={"error": "not found"})
                payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client went away (a killed worker)
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def queue(self, *replies: Reply | dict) -> None:
        for reply in replies:
            self.replies.append(reply if isinstance(reply, Reply) else Reply(body=reply))

    def __enter__(self) -> FakeTranscriber:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()
