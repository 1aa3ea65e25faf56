"""A real, scriptable OpenAI-compatible HTTP server on 127.0.0.1, for tests.

    with FakeOpenAI() as server:                 # or the `openai_server` fixture (see below)
        server.queue('{"items": []}')             # a 200 whose message content is this string
        server.queue(Reply(status=429, retry_after="0.2"), Reply(delay_s=2, content="late"))
        chat = OpenAIChatModel(server.base_url, "fake-model")
        ...
        server.requests[0]["messages"]            # what the client actually sent

Replies are served in order; when the queue is empty, `responder(request) -> Reply | str` is
called if set, else the server answers 500 "no scripted reply" (a test that sends more requests
than it scripted fails loudly). `reject_json_schema=True` answers 400 to any request asking for
`response_format` json_schema, the way older local servers do, without consuming a reply.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    """One scripted answer: message `content` with `status` 200, or an error status."""

    content: str | None = None
    status: int = 200
    retry_after: str | None = None
    delay_s: float = 0.0
    finish_reason: str = "stop"
    headers: dict[str, str] = field(default_factory=dict)


def _error_body(status: int, message: str, param: str | None = None) -> dict:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return {"error": {"message": message, "type": kind, "param": param, "code": None}}


class FakeOpenAI:
    """The server; `base_url` ends in `/v1`, as the openai client expects."""

    def __init__(
        self,
        *,
        model: str = "fake-model",
        reject_json_schema: bool = False,
        reject_json_object: bool = False,
        responder: Callable[[dict], Reply | str] | None = None,
    ):
        self.model = model
        self.reject_json_schema = reject_json_schema
        self.reject_json_object = reject_json_object
        self.responder = responder
        self.requests: list[dict] = []  # JSON bodies of chat-completion requests, in order
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------------
    def queue(self, *replies: Reply | str) -> FakeOpenAI:
        """Append replies (a plain string is a 200 with that message content)."""
        with self._lock:
            for reply in replies:
                self._replies.append(Reply(content=reply) if isinstance(reply, str) else reply)
        return self

    def queue_json(self, *payloads: Any) -> FakeOpenAI:
        """Append 200 replies whose content is each payload serialised as JSON."""
        return self.queue(*(json.dumps(p) for p in payloads))

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._replies)

    def _next_reply(self, request: dict) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._replies:
                return self._replies.popleft()
        if self.responder is not None:
            try:
                reply = self.responder(request)
            except Exception as err:  # a broken responder shows up as a 500 naming it
                return Reply(status=500, content=f"responder failed: {err!r}")
            return Reply(content=reply) if isinstance(reply, str) else reply
        return Reply(status=500, content="no scripted reply left in FakeOpenAI")

    def _reject(self, request: dict) -> str | None:
        kind = (request.get("response_format") or {}).get("type")
        if self.reject_json_schema and kind == "json_schema":
            return "response_format type 'json_schema' is not supported by this server"
        if self.reject_json_object and kind == "json_object":
            return "response_format type 'json_object' is not supported by this server"
        return None

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAI:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = (
            True  # a handler sleeping for a timeout test must not block exit
        )
        # A short poll interval keeps shutdown (and so every test's teardown) quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test): nothing to do

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                model = {"id": server.model, "object": "model", "created": 0, "owned_by": "test"}
                self._send(200, {"object": "list", "data": [model]})
            else:
                self._send(404, _error_body(404, f"no route {self.path}"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, _error_body(404, f"no route {self.path}"))
                return
            try:
                request = json.loads(raw)
            except json.JSONDecodeError:
                self._send(400, _error_body(400, "request body is not JSON"))
                return
            if not isinstance(request.get("messages"), list) or not request.get("model"):
                self._send(400, _error_body(400, "'model' and 'messages' are required"))
                return
            if (rejection := server._reject(request)) is not None:
                with server._lock:
                    server.requests.append(request)
                self._send(400, _error_body(400, rejection, param="response_format"))
                return
            reply = server._next_reply(request)
            if reply.delay_s:
                time.sleep(reply.delay_s)
            headers = dict(reply.headers)
            if reply.retry_after is not None:
                headers["Retry-After"] = reply.retry_after
            if reply.status != 200:
                self._send(
                    reply.status, _error_body(reply.status, reply.content or "error"), headers
                )
                return
            self._send(200, _completion(server.model, request, reply), headers)

    return Handler


def _completion(model: str, request: dict, reply: Reply) -> dict:
    prompt_chars = sum(len(str(m.get("content", ""))) for m in request["messages"])
    completion_tokens = len(reply.content or "") // 4
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model") or model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_chars // 4,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_chars // 4 + completion_tokens,
        },
    }


@pytest.fixture(name="openai_server")
def openai_server_fixture() -> Iterator[FakeOpenAI]:
    """A started `FakeOpenAI` as fixture `openai_server`, stopped after the test.

    Use it with ``from tests.openai_server import openai_server_fixture  # noqa: F401`` in a
    test module, or ``pytest_plugins = ["tests.openai_server"]`` in the root conftest.py.
    """
    with FakeOpenAI() as server:
        yield server
