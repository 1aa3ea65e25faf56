"""Settings: one object, built once by the entry point (CLI, API, tests) and passed in.

Every field can be set from the environment with the prefix ``LIAISON_`` (``LIAISON_HOME``,
``LIAISON_LLM_BASE_URL`` …) or from a ``.env`` file in the working directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LIAISON_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    home: Path = Field(
        default=Path("index"),
        description="Data directory: the SQLite database, the FAISS index and digests live here.",
    )

    # Embedding and search
    embedder: Literal["minilm", "minilm-torch", "hashing"] = Field(
        default="minilm",
        description="'minilm' (the bundled all-MiniLM-L6-v2 on ONNX Runtime), 'minilm-torch' (the"
        " same model on PyTorch: the same vectors, slower to start) or 'hashing' (tests only).",
    )
    model_cache: Path | None = Field(
        default=None,
        description="Folder for the ONNX export of the bundled model, made once at first use"
        " (default: $XDG_CACHE_HOME/liaison, else ~/.cache/liaison).",
    )
    embed_batch_size: int = Field(default=256, ge=1, le=4096)
    chunk_target_words: int = Field(default=120, ge=20, le=2000)
    chunk_overlap_turns: int = Field(default=1, ge=0, le=10)
    ann_threshold: int = Field(
        default=200_000,
        ge=1000,
        description="Above this many chunks the vector index switches from exact to approximate.",
    )

    # Ingest
    max_upload_mb: float = Field(default=20.0, gt=0, description="Largest accepted upload, in MB.")
    default_timezone: str = Field(default="UTC", description="IANA time zone for meeting dates.")

    # Upload jobs (assistant/jobs/) and recordings (assistant/transcribe/)
    job_workers: int = Field(
        default=1,
        ge=0,
        le=16,
        description="Worker processes that ingest uploads; 0 runs them in the server process.",
    )
    job_timeout_s: float = Field(
        default=1800.0, gt=0, description="A job still running after this long is stopped."
    )
    worker_memory_mb: int = Field(
        default=3072,
        ge=256,
        description="Address space a worker may use (setrlimit); beyond it its job fails.",
    )
    upload_wait_s: float = Field(
        default=20.0,
        ge=0,
        le=600,
        description="POST /meetings answers 201 with the results when its jobs end within this"
        " long, else 202 with the job ids.",
    )
    whisper_model: Path | None = Field(
        default=None,
        description="A local CTranslate2 Whisper model folder (default: the bundled tiny.en).",
    )
    transcribe_base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint for /audio/transcriptions."
    )
    transcribe_api_key: str | None = Field(default=None)
    transcribe_model: str = Field(default="whisper-1")
    transcribe_timeout_s: float = Field(default=600.0, gt=0)

    # Extraction
    extractor: Literal["auto", "offline", "llm", "none"] = Field(
        default="auto",
        description="'auto' uses the LLM when llm_base_url is set, else offline; 'none' only"
        " stores and indexes transcripts.",
    )
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint.")
    llm_api_key: str | None = Field(default=None)
    llm_model: str = Field(default="gpt-4o-mini")
    llm_timeout_s: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=3, ge=0, le=10)
    llm_context_tokens: int = Field(default=6000, ge=500)
    goal_link_threshold: float = Field(default=0.3, ge=0.0, le=2.0)

    # Server
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    body_timeout_s: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="A request body that stops arriving for this long is answered 408.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Addresses of reverse proxies whose X-Forwarded-For is believed (comma-"
        "separated IPs or networks, '*' for any); none by default: the sign-in limit counts "
        "the address that connects.",
    )

    # Weekly digests (assistant/digest/): links, delivery and schedule
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Base URL of the web app, used for links back to meetings in digests.",
    )
    smtp_host: str = Field(default="localhost", description="SMTP server for emailed digests.")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = Field(default="starttls")
    smtp_user: str | None = Field(default=None, description="SMTP login; none = no login.")
    smtp_password: str | None = Field(default=None)
    smtp_from: str = Field(default="liaison@localhost", description="Sender of digest emails.")
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    webhook_url: str | None = Field(
        default=None, description="Slack-compatible incoming webhook for the 'webhook' channel."
    )
    digest_folder: Path | None = Field(
        default=None,
        description="Folder for the 'folder' channel (default: $LIAISON_HOME/digests).",
    )
    digest_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = Field(
        default="mon", description="Weekday digests go out, in each recipient's time zone."
    )
    digest_time: str = Field(
        default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="Local time HH:MM."
    )
    digest_max_attempts: int = Field(default=6, ge=1, le=20)
    digest_lease_minutes: float = Field(
        default=10.0, gt=0, description="A send left 'sending' longer than this is retried."
    )
    recap_after_ingest: bool = Field(
        default=False,
        description="Send a meeting's recap to its attendees who are recipients right after it "
        "is ingested (once per meeting and recipient, through the digest channels).",
    )

    # Outgoing webhooks (assistant/webhooks/)
    webhook_worker: bool = Field(
        default=True, description="Deliver queued webhook events while `liaison serve` runs."
    )
    webhook_timeout_s: float = Field(
        default=10.0, gt=0, le=300, description="How long one webhook delivery may take."
    )
    webhook_max_attempts: int = Field(
        default=6, ge=1, le=20, description="Tries of one webhook event before it is given up."
    )

    # MCP over stdio (assistant/mcp/): whose personal API token `liaison mcp` acts with
    token: str | None = Field(
        default=None,
        description="Personal API token (lia_…) that `liaison mcp` acts with over stdio.",
    )

    # Sign-in and web app (assistant/auth.py, assistant/api/security.py) — added by the web helper
    admin_password: str | None = Field(
        default=None,
        description="Password of the first 'admin' user; when unset a one-time password is "
        "generated and printed once.",
    )
    session_days: int = Field(default=14, ge=1, le=365, description="Sign-in session lifetime.")
    secure_cookies: bool = Field(
        default=False, description="Mark the session cookie Secure (set when served over https)."
    )
    login_max_failures: int = Field(
        default=5, ge=1, le=100, description="Failed sign-ins per name and address per window."
    )
    login_window_s: int = Field(default=300, ge=10, description="Rate-limit window, seconds.")
    digest_scheduler: bool = Field(
        default=True, description="Send the weekly digests on schedule while `liaison serve` runs."
    )

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)"
            ) from exc
        return value

    @property
    def db_path(self) -> Path:
        return self.home / "liaison.db"

    @property
    def index_path(self) -> Path:
        return self.home / "vectors.faiss"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def use_llm(self) -> bool:
        if self.extractor == "llm":
            return True
        return self.extractor == "auto" and bool(self.llm_base_url)
