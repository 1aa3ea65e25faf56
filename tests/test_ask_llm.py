"""Asking with an LLM, against the real local OpenAI-compatible server of tests/openai_server.py:
valid citations kept, invented ones removed and flagged, a failing server falls back offline."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answer import Asker
from assistant.chat import OpenAIChatModel
from tests.ask_script import SCRIPT, DatedExtractor, ingest_samples
from tests.openai_server import Reply, openai_server_fixture  # noqa: F401

TODAY = date(2026, 10, 29)
QUESTION = "What did we decide about the CDP?"


@pytest.fixture
def extractor():
    return DatedExtractor(SCRIPT)


@pytest.fixture
def asker(liaison, openai_server):
    ingest_samples(liaison)
    chat = OpenAIChatModel(openai_server.base_url, "fake-model", max_retries=0, backoff_s=0)
    return Asker(liaison, chat=chat)


def test_answer_with_valid_citations(asker, openai_server):
    openai_server.queue("We first chose Segment [2], then switched to mParticle [1].")
    answer = asker.ask(QUESTION, TODAY)
    assert answer.mode == "llm" and answer.found and not answer.flagged
    assert answer.answer == "We first chose Segment [2], then switched to mParticle [1]."
    assert [c.n for c in answer.citations] == [1, 2]
    assert "mParticle" in answer.citations[0].quote and "Segment" in answer.citations[1].quote
    # The model saw the question and numbered passages, and was told to cite them.
    system, user = openai_server.requests[0]["messages"]
    assert "Cite every claim" in system["content"]
    assert QUESTION in user["content"] and "[1] " in user["content"]
    assert "Instead of Segment we'll go with mParticle after all." in user["content"]


def test_citation_to_a_missing_passage_is_removed_and_flagged(asker, openai_server):
    openai_server.queue("We switched to mParticle [1]. The budget was tripled [9].")
    answer = asker.ask(QUESTION, TODAY)
    assert answer.flagged
    assert "[9]" not in answer.answer and "[1]" in answer.answer
    assert [c.n for c in answer.citations] == [1]
    assert "[9]" in answer.note


def test_answer_without_any_citation_is_flagged(asker, openai_server):
    openai_server.queue("Segment was replaced by mParticle.")
    answer = asker.ask(QUESTION, TODAY)
    assert answer.flagged and answer.citations == []


def test_server_failure_falls_back_to_the_offline_answer(asker, openai_server):
    openai_server.queue(Reply(status=500, content="boom"))
    answer = asker.ask(QUESTION, TODAY)
    assert answer.mode == "offline" and answer.found and not answer.flagged
    assert answer.answer.startswith("Use mParticle as the CDP — decided on 13 Oct")
    assert "LLM was unavailable" in answer.note and "HTTP 500" in answer.note


def test_nothing_found_does_not_call_the_llm(asker, openai_server):
    answer = asker.ask("What did we decide about the blockchain pilot?", TODAY)
    assert not answer.found and openai_server.requests == []


def test_offline_flag_skips_the_llm(asker, openai_server):
    answer = asker.ask(QUESTION, TODAY, offline=True)
    assert answer.mode == "offline" and openai_server.requests == []


def test_llm_from_settings(liaison, openai_server, settings):
    ingest_samples(liaison)
    configured = settings.model_copy(
        update={"llm_base_url": openai_server.base_url, "llm_max_retries": 0}
    )
    liaison.settings = configured
    openai_server.queue("mParticle is the CDP [1].")
    answer = Asker(liaison).ask(QUESTION, TODAY)
    assert answer.mode == "llm" and answer.citations[0].n == 1
