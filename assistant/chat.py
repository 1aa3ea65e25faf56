"""Chat models: the `ChatModel` protocol and an OpenAI-compatible implementation.

`OpenAIChatModel` talks to any server that speaks `POST /v1/chat/completions` (OpenAI, Ollama,
llama.cpp, vLLM …). It asks for structured output as strictly as the server allows and
degrades once per instance: json_schema → json_object → plain text with the schema in the
prompt. Retries are done here, not by the openai client, so they are visible and testable.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import random
import re
import time
from typing import Any, Literal, Protocol, runtime_checkable

import openai

from assistant.errors import LLMUnavailable

log = logging.getLogger(__name__)

FormatMode = Literal["json_schema", "json_object", "text"]
_RETRY_AFTER_CAP_S = 60.0  # a server asking for longer is treated as down, not waited on


@runtime_checkable
class ChatModel(Protocol):
    name: str

    def complete(self, messages: list[dict[str, str]], *, schema: dict | None = None) -> str:
        """Return the assistant message content (a JSON string when `schema` is given)."""
        ...


def llm_unavailable(where: str, reason: str) -> LLMUnavailable:
    """Build the one-line error: ``LLM at <where> <reason>``; `unavailable_reason` reverses it."""
    return LLMUnavailable(f"LLM at {where} {reason}")


def unavailable_reason(err: LLMUnavailable) -> str:
    """The reason part of an `LLMUnavailable` message ("timed out after 3 attempts")."""
    return re.sub(r"^LLM at \S+ ", "", str(err))


def schema_instruction(schema: dict) -> str:
    """Text telling a model without structured-output support what JSON to produce."""
    return (
        "Reply with one JSON object only (no prose, no code fence) that matches this JSON "
        f"Schema:\n{json.dumps(schema, separators=(',', ':'))}"
    )


class OpenAIChatModel:
    """A `ChatModel` over the official `openai` client, pointed at any compatible endpoint.

    `max_retries` counts retries after the first attempt (0 = one attempt). Backoff doubles
    from `backoff_s` with up to 25 % jitter; a `Retry-After` header wins when present.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 60,
        max_retries: int = 3,
        backoff_s: float = 1.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = model
        self.timeout_s = timeout_s
        self.max_retries = max(0, max_retries)
        self.backoff_s = backoff_s
        # The strictest structured-output mode this server has not rejected yet.
        self.format_mode: FormatMode = "json_schema"
        self.send_temperature = True  # some models (reasoning ones) accept only the default
        self._client = openai.OpenAI(
            base_url=self.base_url,
            api_key=api_key or "not-needed",  # local servers (Ollama, llama.cpp) ignore it
            timeout=timeout_s,
            max_retries=0,  # we retry ourselves, see _create
        )

    def complete(self, messages: list[dict[str, str]], *, schema: dict | None = None) -> str:
        """Send `messages`; with `schema`, ask for JSON matching it. Raises `LLMUnavailable`."""
        while True:
            kwargs = self._format_kwargs(messages, schema)
            try:
                return self._create(kwargs)
            except openai.APIStatusError as err:
                if self._drop_temperature(err) or (
                    schema is not None and self._degrade_format(err)
                ):
                    continue
                raise llm_unavailable(self.base_url, _status_reason(err)) from err
            except openai.OpenAIError as err:  # e.g. a response that is not OpenAI-shaped
                reason = f"answered something unusable ({type(err).__name__})"
                raise llm_unavailable(self.base_url, reason) from err

    def _format_kwargs(self, messages: list[dict[str, str]], schema: dict | None) -> dict:
        msgs = [dict(m) for m in messages]
        kwargs: dict[str, Any] = {"model": self.model, "messages": msgs}
        if self.send_temperature:
            kwargs["temperature"] = 0  # extraction wants the same answer every time
        if schema is None:
            return kwargs
        body = dict(schema)
        name = re.sub(r"[^A-Za-z0-9_-]", "_", str(body.pop("title", "response")))[:64]
        if self.format_mode == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": body, "strict": True},
            }
            return kwargs
        # Without server-side schemas the model only knows the shape if the prompt says it.
        _append_to_system(msgs, schema_instruction(body))
        if self.format_mode == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        return kwargs

    def _drop_temperature(self, err: openai.APIStatusError) -> bool:
        """Stop sending `temperature` if `err` is a rejection of it."""
        if not self.send_temperature or err.status_code != 400:
            return False
        if "temperature" not in _error_text(err).lower():
            return False
        self.send_temperature = False
        log.warning("LLM at %s rejected temperature=0; using its default", self.base_url)
        return True

    def _degrade_format(self, err: openai.APIStatusError) -> bool:
        """Step down one structured-output mode if `err` is a rejection of the current one."""
        if err.status_code not in (400, 415, 422, 501):
            return False
        text = _error_text(err).lower()
        if not any(word in text for word in ("response_format", "json_schema", "json_object")):
            return False
        if self.format_mode == "json_schema":
            self.format_mode = "json_object"
        elif self.format_mode == "json_object":
            self.format_mode = "text"
        else:
            return False
        log.warning(
            "LLM at %s rejected structured output; using %s", self.base_url, self.format_mode
        )
        return True

    def _create(self, kwargs: dict) -> str:
        """One logical request with our own retry loop; raises `LLMUnavailable` at the end."""
        attempts = self.max_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                response = self._client.chat.completions.create(**kwargs)
            except openai.APITimeoutError as err:
                reason, wait = f"timed out after {attempt} attempts", None
                last: Exception = err
            except openai.APIConnectionError as err:
                reason, wait = (
                    f"could not be reached ({_cause(err)}) after {attempt} attempts",
                    None,
                )
                last = err
            except openai.APIStatusError as err:
                if err.status_code != 429 and err.status_code < 500:
                    raise  # a request the server will never accept: no point retrying
                reason = f"answered HTTP {err.status_code} after {attempt} attempts"
                wait, last = _retry_after(err), err
            else:
                return _content(response)
            if attempt == attempts:
                break
            delay = wait if wait is not None else self._backoff(attempt)
            log.warning(
                "LLM at %s: attempt %d failed (%s); retrying in %.2fs",
                self.base_url,
                attempt,
                type(last).__name__,
                delay,
            )
            time.sleep(delay)
        if attempts == 1:
            reason = reason.replace("after 1 attempts", "after 1 attempt")
        raise llm_unavailable(self.base_url, reason) from last

    def _backoff(self, attempt: int) -> float:
        base = self.backoff_s * (2 ** (attempt - 1))
        return base * (1 + random.uniform(0, 0.25))


def _append_to_system(messages: list[dict[str, str]], text: str) -> None:
    for message in messages:
        if message.get("role") == "system":
            message["content"] = f"{message['content']}\n\n{text}"
            return
    messages.insert(0, {"role": "system", "content": text})


def _content(response: Any) -> str:
    choices = getattr(response, "choices", None) or []
    if not choices:
        return ""
    return choices[0].message.content or ""


def _error_text(err: openai.APIStatusError) -> str:
    parts = [str(err.message)]
    # The body may already be closed; the message is enough then.
    with contextlib.suppress(Exception):
        parts.append(err.response.text)
    return " ".join(parts)


def _status_reason(err: openai.APIStatusError) -> str:
    detail = " ".join(str(err.message).split())[:160]
    return f"rejected the request (HTTP {err.status_code}: {detail})"


def _cause(err: Exception) -> str:
    cause = err.__cause__ or err.__context__
    text = str(cause or err) or type(cause or err).__name__
    return " ".join(text.split())[:120]


def _retry_after(err: openai.APIStatusError) -> float | None:
    """Seconds the server asked us to wait (`retry-after-ms` or `Retry-After`), capped."""
    headers = err.response.headers
    try:
        if ms := headers.get("retry-after-ms"):
            return min(float(ms) / 1000, _RETRY_AFTER_CAP_S)
        value = headers.get("retry-after")
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            seconds = when.timestamp() - time.time()
        return min(max(seconds, 0.0), _RETRY_AFTER_CAP_S)
    except (TypeError, ValueError, OverflowError):
        return None
