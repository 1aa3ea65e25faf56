"""Transcription by an OpenAI-compatible endpoint (`POST {base}/audio/transcriptions`).

Asks for `verbose_json` with segment and word times; a server that gives only words has them
grouped into sentences, one that gives only text gets a single untimed-looking segment.
"""

from __future__ import annotations

import httpx

from assistant.errors import TranscriptionFailed
from assistant.transcribe.base import Progress, Segment, Transcript, Word

SENTENCE_END = (".", "?", "!")


def _words_to_segments(words: list[Word], max_words: int = 40) -> list[Segment]:
    segments, current = [], []
    for word in words:
        current.append(word)
        if word.text.endswith(SENTENCE_END) or len(current) >= max_words:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    return [
        Segment(start=s[0].start, end=s[-1].end, text=" ".join(w.text for w in s), words=s)
        for s in segments
    ]


def _number(value, default: float = 0.0) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return out if out == out and abs(out) != float("inf") else default


def read_response(body: dict) -> tuple[list[Segment], float, str | None]:
    """Segments, duration and language from a verbose_json (or plain json) answer."""
    words = [
        Word(
            text=str(w.get("word", "")).strip(),
            start=_number(w.get("start")),
            end=_number(w.get("end")),
        )  # fmt: skip
        for w in body.get("words") or []
        if isinstance(w, dict) and str(w.get("word", "")).strip()
    ]
    duration = _number(body.get("duration"))
    segments = []
    for raw in body.get("segments") or []:
        if not isinstance(raw, dict) or not str(raw.get("text", "")).strip():
            continue
        start, end = _number(raw.get("start")), _number(raw.get("end"))
        inside = [w for w in words if start <= w.start < max(end, start + 1e-6)]
        segments.append(Segment(start=start, end=end, text=str(raw["text"]).strip(), words=inside))
    if not segments and words:
        segments = _words_to_segments(words)
    if not segments and str(body.get("text", "")).strip():
        segments = [Segment(start=0.0, end=duration, text=str(body["text"]).strip())]
    language = body.get("language") if isinstance(body.get("language"), str) else None
    return segments, duration, language


class HttpTranscriber:
    def __init__(
        self,
        base_url: str,
        *,
        model: str = "whisper-1",
        api_key: str | None = None,
        timeout_s: float = 600.0,
        transport: httpx.BaseTransport | None = None,
    ):
        self.url = base_url.rstrip("/") + "/audio/transcriptions"
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.transport = transport
        self.name = f"http:{model}"

    def transcribe(
        self, data: bytes, filename: str, progress: Progress | None = None
    ) -> Transcript:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        form = {
            "model": self.model,
            "response_format": "verbose_json",
            "timestamp_granularities[]": ["segment", "word"],
        }
        try:
            with httpx.Client(timeout=self.timeout_s, transport=self.transport) as client:
                reply = client.post(
                    self.url, headers=headers, data=form, files={"file": (filename, data)}
                )
        except httpx.HTTPError as exc:
            raise TranscriptionFailed(
                f"the transcription service at {self.url} could not be reached"
                f" ({type(exc).__name__})",
                source=filename,
            ) from exc
        if reply.status_code != 200:
            raise TranscriptionFailed(
                f"the transcription service answered {reply.status_code}:"
                f" {reply.text[:200].strip()}",
                source=filename,
            )
        try:
            body = reply.json()
        except ValueError as exc:
            raise TranscriptionFailed(
                "the transcription service answered something that is not JSON", source=filename
            ) from exc
        if not isinstance(body, dict):
            raise TranscriptionFailed(
                "the transcription service answered JSON without a transcript", source=filename
            )
        segments, duration, language = read_response(body)
        duration = duration or (segments[-1].end if segments else 0.0)
        if progress:
            progress(duration, duration)
        return Transcript(
            segments=segments, duration_s=duration, language=language, model=self.name
        )
