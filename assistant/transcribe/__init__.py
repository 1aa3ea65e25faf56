"""Recordings to transcripts: audio and video in, timed segments out (then the normal pipeline).

    Transcriber.transcribe(data, filename, progress) -> Transcript     (the protocol, base.py)
    ├── WhisperTranscriber   offline: faster-whisper (CTranslate2, decodes through PyAV) with
    │                        the bundled Whisper tiny.en, or LIAISON_WHISPER_MODEL (whisper.py)
    └── HttpTranscriber      an OpenAI-compatible /v1/audio/transcriptions endpoint, when
                             LIAISON_TRANSCRIBE_BASE_URL is set (http.py)

`make_transcriber(settings)` picks one; `is_recording(data)` tells a recording from a
transcript by its first bytes; `as_transcript_json` turns a Transcript into the
Whisper JSON shape the parsers read, so a recording is cleaned, limited, chunked and extracted
exactly like an uploaded transcript.
"""

from __future__ import annotations

import json

from assistant.config import Settings
from assistant.transcribe.base import Progress, Segment, Transcriber, Transcript, Word

RECORDING_SUFFIXES = frozenset(
    {
        ".wav",
        ".mp3",
        ".m4a",
        ".mp4",
        ".webm",
        ".ogg",
        ".oga",
        ".opus",
        ".mov",
        ".mkv",
        ".aac",
        ".flac",
    }  # fmt: skip
)
NO_SPEAKERS = (
    "no speaker names: a recording is transcribed without telling the voices apart"
    " (no diarization), so its turns have no speaker"
)

__all__ = [
    "NO_SPEAKERS",
    "RECORDING_SUFFIXES",
    "Progress",
    "Segment",
    "Transcriber",
    "Transcript",
    "Word",
    "as_transcript_json",
    "is_recording",
    "make_transcriber",
]


def _magic(head: bytes) -> bool:
    return (
        (head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI "))  # wav
        or head[:3] == b"ID3"  # mp3 with tags
        or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)  # mp3 frame
        or head[4:8] == b"ftyp"  # mp4, m4a, mov
        or head[:4] == b"\x1a\x45\xdf\xa3"  # webm, mkv
        or head[:4] == b"OggS"
        or head[:4] == b"fLaC"
    )


def is_recording(data: bytes) -> bool:
    """Audio or video, told by its first bytes (wav, mp3, mp4/m4a/mov, webm/mkv, ogg, flac);
    the file name is not trusted either way."""
    return _magic(data[:16])


def as_transcript_json(transcript: Transcript) -> bytes:
    """The Whisper JSON shape (`segments` with `start`, `end`, `text`) the parsers read."""
    return json.dumps(
        {
            "segments": [
                {"start": s.start, "end": s.end, "text": s.text}
                for s in transcript.segments
                if s.text.strip()
            ]
        }
    ).encode()


def make_transcriber(settings: Settings) -> Transcriber:
    """The endpoint when LIAISON_TRANSCRIBE_BASE_URL is set, else offline faster-whisper."""
    if settings.transcribe_base_url:
        from assistant.transcribe.http import HttpTranscriber

        return HttpTranscriber(
            settings.transcribe_base_url,
            model=settings.transcribe_model,
            api_key=settings.transcribe_api_key,
            timeout_s=settings.transcribe_timeout_s,
        )
    from assistant.transcribe.whisper import WhisperTranscriber

    return WhisperTranscriber(settings.whisper_model)
