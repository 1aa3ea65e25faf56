"""Shared fixtures: every test gets its own LIAISON_HOME, and fast real stand-ins for the model.

`HashingEmbedder` is a real (deterministic, model-free) embedder; `ScriptedExtractor` is a real
extractor that returns the drafts a test gives it. Tests marked `model` load the bundled MiniLM.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embed import HashingEmbedder
from assistant.models import DraftItem, ExtractionResult, Goal, Meeting, Turn

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = REPO / "assistant" / "data" / "samples"


class ScriptedExtractor:
    """Returns, for each meeting, the drafts a test scripted for it, keyed by the meeting's title
    or its ISO date; none for other meetings."""

    name = "scripted:v1"

    def __init__(self, by_title: dict[str, list[DraftItem]] | None = None):
        self.by_title = by_title or {}
        self.calls: list[str] = []

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        self.calls.append(meeting.title)
        drafts = self.by_title.get(meeting.title) or self.by_title.get(meeting.date.isoformat())
        return ExtractionResult(items=drafts or [], extractor=self.name)


def draft(kind: str, text: str, turn: int, quote: str, **fields) -> DraftItem:
    """A draft item citing one turn (for scripting extractors in tests)."""
    from assistant.models import Evidence, ItemKind

    return DraftItem(
        kind=ItemKind(kind), text=text, evidence=[Evidence(turn_index=turn, quote=quote)], **fields
    )


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("LIAISON_HOME", str(path))
    monkeypatch.setenv("LIAISON_EMBEDDER", "hashing")
    for var in ("LIAISON_LLM_BASE_URL", "LIAISON_EXTRACTOR"):
        monkeypatch.delenv(var, raising=False)
    return path


@pytest.fixture
def settings(home) -> Settings:
    # A known admin password: the first run then prints no one-time password.
    return Settings(
        home=home,
        embedder="hashing",
        admin_password="admin-password-for-tests",
        digest_scheduler=False,  # tests that need it start it themselves
    )


@pytest.fixture
def extractor() -> ScriptedExtractor:
    return ScriptedExtractor()


def api_client(settings: Settings, service, role: str = "admin"):
    """A TestClient over the real app, signed in with a real API token of `role`."""
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app

    app = create_app(settings, service)
    auth = app.state.auth
    name = "admin"
    if role != "admin":
        name = f"test-{role}"
        auth.add_user(name, role=role, password="password-for-" + name)
    client = TestClient(app)
    client.headers["Authorization"] = "Bearer " + auth.create_token(name)[0]
    return client


@pytest.fixture
def client(settings, liaison):
    with api_client(settings, liaison) as c:
        yield c


@pytest.fixture
def liaison(settings, extractor):
    from assistant.service import Liaison

    service = Liaison(settings, embedder=HashingEmbedder(), extractor=extractor)
    yield service
    service.db.close()
