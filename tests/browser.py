"""Helpers for the web tests: a secured app over a Liaison, a real uvicorn server, Chromium.

    app, auth = secured_app(liaison)            # create_app with its Auth
    with LiveServer(app) as server:             # uvicorn on 127.0.0.1, a free port, a thread
        with chromium() as browser:             # Debian's /usr/bin/chromium via Playwright
            page = browser.new_page()
            page.goto(server.url + "/login")

Chromium is never downloaded (`playwright install` is not used): tests that need it skip with
the reason when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.api.app import create_app
from assistant.auth import Auth

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def secured_app(liaison, *, auth: Auth | None = None, announce=None):
    """The full app as served: API routers, sign-in enforcement and the pages."""
    app = create_app(liaison.settings, liaison, auth=auth, announce=announce)
    return app, app.state.auth


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """Runs an ASGI app with uvicorn in a background thread until the block ends."""

    def __init__(self, app, port: int | None = None, config=None):
        """`config`: a uvicorn.Config to serve with (default: a plain one for `app`)."""
        import uvicorn

        self.port = config.port if config is not None else port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if config is None:
            config = uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
            )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("needs the playwright Python package")


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium browser (the system one, never a downloaded build)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-output/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
