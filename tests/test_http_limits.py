"""Against a real uvicorn server on 127.0.0.1, configured as `liaison serve` configures it: request
bodies limited while they stream, stalled bodies let go, and the sign-in limit counting the
address that connects unless a trusted proxy says otherwise."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest

from assistant.api.server import uvicorn_config
from tests.browser import LiveServer, free_port, secured_app
from tests.conftest import FIXTURES

MB = 1024 * 1024


@pytest.fixture
def served(settings, liaison):
    """(server, bearer token) over the product's own uvicorn configuration."""
    liaison.settings.max_upload_mb = 1
    liaison.settings.body_timeout_s = 1.0
    app, auth = secured_app(liaison)
    token = auth.create_token("admin")[0]
    with LiveServer(app, config=uvicorn_config(app, liaison.settings, port=free_port())) as server:
        yield server, token


def _connect(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _head(path: str, token: str, **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {token}"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _read_all(sock: socket.socket) -> bytes:
    """Read until the server closes the connection (or resets it, once it has answered)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def test_a_huge_declared_upload_is_refused_at_once_and_the_connection_closed(served):
    server, token = served
    with _connect(server) as sock:
        started = time.monotonic()
        sock.sendall(
            _head(
                "/meetings",
                token,
                Content_Type="multipart/form-data; boundary=x",
                Content_Length=str(2 * 1024 * MB),
            )
        )
        answer = _read_all(sock)  # returns only because the server closed the connection
        elapsed = time.monotonic() - started
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"connection: close" in head.lower()
    assert json.loads(body)["error"] == "UploadTooLarge"
    assert elapsed < 2, f"held the connection {elapsed:.1f} s"


def test_a_chunked_upload_is_cut_off_once_it_passes_the_limit(served):
    """No Content-Length: the server reads up to the limit, answers 413 and stops reading;
    the client cannot push its 64 MB through (the body never reaches a parser or the disk)."""
    server, token = served
    sock = _connect(server)
    answer: list[bytes] = []
    reader = threading.Thread(target=lambda: answer.append(_read_all(sock)), daemon=True)
    head = _head(
        "/meetings",
        token,
        Content_Type="multipart/form-data; boundary=x",
        Transfer_Encoding="chunked",
    )
    part = (
        b'--x\r\nContent-Disposition: form-data; name="files"; filename="big.vtt"\r\n'
        b"Content-Type: text/vtt\r\n\r\nWEBVTT\r\n\r\n"
    )
    sock.sendall(head + f"{len(part):x}\r\n".encode() + part + b"\r\n")
    reader.start()
    piece = b"x" * 65536
    sent = 0
    try:
        while sent < 64 * MB:
            sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            sent += len(piece)
    except OSError:  # the server closed its side: broken pipe or reset
        pass
    reader.join(timeout=10)
    sock.close()
    assert sent < 24 * MB, f"the server kept reading: {sent / MB:.0f} MB sent"
    assert answer and answer[0].startswith(b"HTTP/1.1 413"), answer[:1]


def test_a_stalled_body_is_answered_408_and_let_go(served):
    server, token = served
    with _connect(server) as sock:
        started = time.monotonic()
        sock.sendall(_head("/ask", token, Content_Type="application/json", Content_Length="500"))
        sock.sendall(b'{"question": ')  # … and nothing more
        answer = _read_all(sock)
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"RequestTimeout" in answer and 0.9 < elapsed < 5


def test_an_answer_given_before_the_body_is_read_closes_the_connection(served):
    """Refused for want of a token, the rest of the body is not read and discarded."""
    server, _ = served
    with _connect(server) as sock:
        started = time.monotonic()
        sock.sendall(
            b"POST /meetings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 900000\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n\r\n--x\r\n"
        )
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 401") and time.monotonic() - started < 2


def test_other_bodies_have_a_small_limit(served):
    server, token = served
    with _connect(server) as sock:
        sock.sendall(
            _head("/ask", token, Content_Type="application/json", Content_Length=str(10 * MB))
        )
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413") and b"RequestTooLarge" in answer


def test_uploads_within_the_limit_still_go_in(served):
    server, token = served
    data = (FIXTURES / "transcripts" / "zoom.vtt").read_bytes()
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as c:
        r = c.post("/meetings", files=[("files", ("zoom.vtt", data))])
        assert r.status_code == 201, r.text
        assert c.post("/ask", json={"question": "what was decided?"}).status_code == 200


# ---------------------------------------------------------------------- sign-in limit


def _sign_in_failures(server, addresses: list[str]) -> list[int]:
    codes = []
    with httpx.Client(base_url=server.url) as c:
        for address in addresses:
            r = c.post(
                "/login",
                data={"username": "admin", "password": "wrong password"},
                headers={"X-Forwarded-For": address},
            )
            codes.append(r.status_code)
    return codes


def test_the_sign_in_limit_ignores_x_forwarded_for_by_default(settings, liaison):
    app, _ = secured_app(liaison)
    config = uvicorn_config(app, liaison.settings, port=free_port())
    with LiveServer(app, config=config) as server:
        codes = _sign_in_failures(server, [f"10.0.0.{n}" for n in range(1, 8)])
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]


def test_a_trusted_proxy_names_the_client(settings, liaison):
    liaison.settings.trusted_proxies = "127.0.0.1"
    app, _ = secured_app(liaison)
    config = uvicorn_config(app, liaison.settings, port=free_port())
    with LiveServer(app, config=config) as server:
        spread = _sign_in_failures(server, [f"10.0.0.{n}" for n in range(1, 8)])
        same = _sign_in_failures(server, ["10.9.9.9"] * 6)
    assert spread == [401] * 7  # each address its own count
    assert same[-1] == 429
