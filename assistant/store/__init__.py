"""SQLite storage: the source of truth. Schema changes are numbered migrations (migrations/)."""

from assistant.store.db import Database

__all__ = ["Database"]
