"""One exception tree for Liaison. Every error a user can meet is named here.

    LiaisonError                    message is one line, fit for the CLI and a JSON body
    ├── ConfigError                 a setting is missing or invalid
    ├── IngestError                 a transcript could not be read (carries file and line)
    │   ├── EmptyTranscript
    │   ├── BinaryFile
    │   ├── UndecodableText
    │   ├── UnsupportedFormat
    │   ├── MalformedTranscript     the format was recognised but the content is broken
    │   ├── TranscriptionFailed     a recording could not be decoded or transcribed
    │   ├── WorkerFailed            the worker process died, ran out of time or memory
    │   └── UploadTooLarge
    │       └── TranscriptTooLarge  within the size limit, but too many words, turns or
    │                               characters on a line (or a .docx that inflates too far)
    ├── NotFound
    │   ├── MeetingNotFound
    │   ├── ItemNotFound
    │   ├── GoalNotFound
    │   ├── JobNotFound
    │   └── UserNotFound
    ├── InvalidInput                a field has a wrong value (422 over HTTP)
    ├── Conflict                    the thing already exists (409)
    ├── ExtractionError
    │   └── LLMUnavailable          the LLM endpoint failed, timed out or answered garbage
    ├── DeliveryError               a digest could not be delivered
    └── AuthError                   not signed in / bad token (401)
        └── Forbidden               signed in, but the role may not do this (403)

The API maps each branch to one status code in `api/errors.py`.
"""

from __future__ import annotations


class LiaisonError(Exception):
    """Base class: `str(err)` is a one-line message a user understands."""


class ConfigError(LiaisonError):
    pass


class IngestError(LiaisonError):
    """A transcript could not be read. `source` names the file, `line` the 1-based line if known."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.reason = message
        self.source = source
        self.line = line
        where = source or "<input>"
        if line is not None:
            where = f"{where}, line {line}"
        super().__init__(f"{where}: {message}")

    def at(self, source: str) -> IngestError:
        """Return the same error naming `source` (parsers may not know the file name)."""
        return type(self)(self.reason, source=source, line=self.line)


class EmptyTranscript(IngestError):
    pass


class BinaryFile(IngestError):
    pass


class UndecodableText(IngestError):
    pass


class UnsupportedFormat(IngestError):
    pass


class MalformedTranscript(IngestError):
    pass


class UploadTooLarge(IngestError):
    pass


class TranscriptionFailed(IngestError):
    pass


class WorkerFailed(IngestError):
    pass


class TranscriptTooLarge(UploadTooLarge):
    pass


class NotFound(LiaisonError):
    pass


class MeetingNotFound(NotFound):
    def __init__(self, meeting_id: int | str):
        self.meeting_id = meeting_id
        super().__init__(f"meeting {meeting_id} not found")


class ItemNotFound(NotFound):
    def __init__(self, item_id: int | str):
        super().__init__(f"item {item_id} not found")


class GoalNotFound(NotFound):
    def __init__(self, goal_id: str):
        super().__init__(f"goal {goal_id!r} not found")


class JobNotFound(NotFound):
    def __init__(self, job_id: int | str):
        super().__init__(f"job {job_id} not found")


class UserNotFound(NotFound):
    def __init__(self, name: str):
        super().__init__(f"user {name!r} not found")


class InvalidInput(LiaisonError):
    pass


class Conflict(LiaisonError):
    pass


class ExtractionError(LiaisonError):
    pass


class LLMUnavailable(ExtractionError):
    pass


class DeliveryError(LiaisonError):
    pass


class AuthError(LiaisonError):
    pass


class Forbidden(AuthError):
    pass
