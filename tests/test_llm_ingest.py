"""Ingest with the LLM configured, end to end through `Liaison` and the CLI's settings: the real
`openai` client against the local OpenAI-compatible server; the offline extractor as fallback."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.embed import MiniLMEmbedder
from assistant.service import Liaison
from assistant.store.items import ItemFilters
from tests.conftest import SAMPLES
from tests.openai_server import FakeOpenAI, Reply

pytestmark = pytest.mark.model

SYNC = SAMPLES / "2026-10-06-weekly-sync.vtt"


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEmbedder()


def llm_settings(home, server, **extra) -> Settings:
    return Settings(
        home=home,
        llm_base_url=server.base_url,
        llm_model="fake-model",
        llm_timeout_s=2,
        llm_max_retries=1,
        admin_password="x" * 12,
        digest_scheduler=False,
        **extra,
    )


def test_items_come_from_the_llm_with_checked_quotes(home, minilm):
    with FakeOpenAI() as server:
        server.queue_json(
            {
                "items": [
                    {
                        "kind": "decision",
                        "text": "Segment is the CDP.",
                        "owner": None,
                        "team": "Joint",
                        "due": None,
                        "goal_id": None,
                        "confidence": 0.9,
                        "evidence": [{"turn": 7, "quote": "We'll go with Segment as the CDP."}],
                    },
                    {
                        "kind": "action",
                        "text": "Sam sets up SSO for HubSpot.",
                        "owner": "Sam Ortiz",
                        "team": "IT",
                        "due": "2026-10-09",
                        "goal_id": None,
                        "confidence": 0.8,
                        "evidence": [
                            {"turn": 22, "quote": "set up the SSO integration for HubSpot"}
                        ],
                    },
                    {
                        "kind": "decision",
                        "text": "Invented.",
                        "owner": None,
                        "team": "unknown",
                        "due": None,
                        "goal_id": None,
                        "confidence": 0.9,
                        "evidence": [{"turn": 3, "quote": "We will buy a blockchain."}],
                    },
                ]
            }
        )
        service = Liaison(llm_settings(home, server), embedder=minilm)
        outcome = service.ingest_path(SYNC)
    assert outcome.ok
    meeting = service.meeting(outcome.meeting.id).meeting
    assert meeting.extractor == "llm:fake-model"
    items = service.items(ItemFilters(meeting_id=meeting.id))[0]
    assert sorted(i.text for i in items) == ["Sam sets up SSO for HubSpot.", "Segment is the CDP."]
    action = next(i for i in items if i.kind.value == "action")
    assert action.evidence[0].speaker == "Dana Whitfield" and action.evidence[0].start_s is not None
    assert meeting.extraction_note == (
        "1 item dropped: the quoted words were not in the transcript"
    )


def test_llm_down_falls_back_offline_and_the_meeting_is_stored_whole(home, minilm):
    with FakeOpenAI() as server:
        server.queue(*[Reply(status=503)] * 4)
        service = Liaison(llm_settings(home, server), embedder=minilm)
        outcome = service.ingest_path(SYNC)
    assert outcome.ok
    meeting = service.meeting(outcome.meeting.id)
    assert len(meeting.turns) == 44
    assert meeting.meeting.extractor.startswith("offline")
    assert "LLM unavailable" in meeting.meeting.extraction_note
    assert service.items(ItemFilters(meeting_id=meeting.meeting.id))[1] > 0
