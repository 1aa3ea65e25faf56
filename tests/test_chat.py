"""OpenAIChatModel against a real local HTTP server, through the real openai client."""

from __future__ import annotations

import json
import socket
import time

import pytest

from assistant.chat import OpenAIChatModel, unavailable_reason
from assistant.errors import LLMUnavailable
from tests.openai_server import FakeOpenAI, Reply, openai_server_fixture  # noqa: F401

SCHEMA = {
    "title": "answer",
    "type": "object",
    "additionalProperties": False,
    "required": ["ok"],
    "properties": {"ok": {"type": "boolean"}},
}
MESSAGES = [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Well?"}]


def chat_for(server: FakeOpenAI, **kwargs: float) -> OpenAIChatModel:
    options = {"timeout_s": 2.0, "max_retries": 2, "backoff_s": 0.01} | kwargs
    return OpenAIChatModel(server.base_url, "fake-model", **options)  # type: ignore[arg-type]


def test_returns_content_and_asks_for_strict_json_schema(openai_server: FakeOpenAI) -> None:
    openai_server.queue('{"ok": true}')
    content = chat_for(openai_server).complete(MESSAGES, schema=SCHEMA)
    assert json.loads(content) == {"ok": True}
    (request,) = openai_server.requests
    assert request["model"] == "fake-model"
    assert request["messages"] == MESSAGES
    fmt = request["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["name"] == "answer"
    assert "title" not in fmt["json_schema"]["schema"]
    assert fmt["json_schema"]["schema"]["required"] == ["ok"]


def test_plain_completion_sends_no_response_format(openai_server: FakeOpenAI) -> None:
    openai_server.queue("Hello.")
    assert chat_for(openai_server).complete(MESSAGES) == "Hello."
    assert "response_format" not in openai_server.requests[0]


def test_json_schema_rejected_falls_back_to_json_object_and_remembers() -> None:
    with FakeOpenAI(reject_json_schema=True) as server:
        server.queue('{"ok": true}', '{"ok": false}')
        chat = chat_for(server)
        assert json.loads(chat.complete(MESSAGES, schema=SCHEMA)) == {"ok": True}
        assert json.loads(chat.complete(MESSAGES, schema=SCHEMA)) == {"ok": False}
    kinds = [r["response_format"]["type"] for r in server.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]
    # json_object cannot carry the schema, so the system prompt must.
    system = server.requests[1]["messages"][0]["content"]
    assert system.startswith("Be terse.") and '"required":["ok"]' in system
    assert chat.format_mode == "json_object"


def test_both_json_modes_rejected_falls_back_to_schema_in_prompt() -> None:
    with FakeOpenAI(reject_json_schema=True, reject_json_object=True) as server:
        server.queue('{"ok": true}')
        assert json.loads(chat_for(server).complete(MESSAGES, schema=SCHEMA)) == {"ok": True}
    last = server.requests[-1]
    assert len(server.requests) == 3
    assert "response_format" not in last
    assert "JSON Schema" in last["messages"][0]["content"]


def test_rejected_temperature_is_dropped(openai_server: FakeOpenAI) -> None:
    rejection = "Unsupported value: 'temperature' does not support 0 with this model."
    openai_server.queue(Reply(status=400, content=rejection), '{"ok": true}')
    assert json.loads(chat_for(openai_server).complete(MESSAGES, schema=SCHEMA)) == {"ok": True}
    first, second = openai_server.requests
    assert first["temperature"] == 0 and "temperature" not in second
    assert second["response_format"]["type"] == "json_schema"  # the format was not to blame


def test_429_honours_retry_after_then_succeeds(openai_server: FakeOpenAI) -> None:
    openai_server.queue(Reply(status=429, content="slow down", retry_after="0.4"), "fine")
    started = time.monotonic()
    assert chat_for(openai_server, backoff_s=0.001).complete(MESSAGES) == "fine"
    assert time.monotonic() - started >= 0.4  # waited as told, not the 1 ms backoff
    assert len(openai_server.requests) == 2


def test_5xx_is_retried_with_backoff(openai_server: FakeOpenAI) -> None:
    openai_server.queue(Reply(status=503), Reply(status=502), "third time lucky")
    assert chat_for(openai_server).complete(MESSAGES) == "third time lucky"
    assert len(openai_server.requests) == 3


def test_persistent_5xx_raises_llm_unavailable_after_all_attempts(
    openai_server: FakeOpenAI,
) -> None:
    openai_server.queue(*[Reply(status=500)] * 3)
    with pytest.raises(LLMUnavailable) as caught:
        chat_for(openai_server).complete(MESSAGES)
    assert (
        str(caught.value) == f"LLM at {openai_server.base_url} answered HTTP 500 after 3 attempts"
    )
    assert len(openai_server.requests) == 3


def test_timeouts_are_retried_then_llm_unavailable(openai_server: FakeOpenAI) -> None:
    openai_server.queue(*[Reply(content="too late", delay_s=1.0)] * 3)
    chat = chat_for(openai_server, timeout_s=0.5, max_retries=2)
    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as caught:
        chat.complete(MESSAGES)
    assert time.monotonic() - started < 3.0
    assert unavailable_reason(caught.value) == "timed out after 3 attempts"
    assert "\n" not in str(caught.value) and openai_server.base_url in str(caught.value)
    assert len(openai_server.requests) == 3


def test_client_error_is_not_retried(openai_server: FakeOpenAI) -> None:
    openai_server.queue(Reply(status=401, content="bad key"))
    with pytest.raises(LLMUnavailable, match="HTTP 401"):
        chat_for(openai_server).complete(MESSAGES)
    assert len(openai_server.requests) == 1


def test_unreachable_server_raises_llm_unavailable() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    chat = OpenAIChatModel(f"http://127.0.0.1:{port}/v1", "m", max_retries=1, backoff_s=0.01)
    with pytest.raises(LLMUnavailable, match=r"could not be reached .* after 2 attempts"):
        chat.complete(MESSAGES)


def test_models_endpoint_is_openai_shaped(openai_server: FakeOpenAI) -> None:
    import openai

    client = openai.OpenAI(base_url=openai_server.base_url, api_key="x", max_retries=0)
    assert [m.id for m in client.models.list()] == ["fake-model"]
