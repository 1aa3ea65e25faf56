"""Secret calendar-feed URLs: one per user and scope (all items, mine, one team's), revocable.

The URL carries a random secret (`cal_…`); the database keeps only its sha256, as for API
tokens, so the URL is shown once, when it is made. Anyone holding the URL can read the feed
(calendar apps cannot sign in): revoking it, or removing the user, ends it at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from assistant.errors import InvalidInput, NotFound, UserNotFound
from assistant.models import Team
from assistant.store import Database
from assistant.store import calendar as store
from assistant.store import users as user_store

FEED_PREFIX = "cal_"
Scope = Literal["all", "owner", "team"]


class Feed(BaseModel):
    id: int
    user_name: str
    prefix: str  # identifies the feed; the secret itself is shown once
    scope: Scope
    value: str | None = None  # the owner's name or the team
    label: str = ""
    created_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def describe(self) -> str:
        if self.scope == "owner":
            return f"actions of {self.value}"
        if self.scope == "team":
            return f"actions of team {self.value}"
        return "all actions"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _feed(row) -> Feed:
    return Feed(
        id=row["id"],
        user_name=row["user_name"],
        prefix=row["prefix"],
        scope=row["scope"],
        value=row["value"],
        label=row["label"],
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
    )


def check_scope(scope: str, value: str | None, user_name: str) -> tuple[Scope, str | None]:
    """A scope a user can ask for: 'all'; 'owner' (their name as items give it, default their
    user name); 'team' with IT, Marketing or Joint."""
    value = (value or "").strip() or None
    if scope == "all":
        return "all", None
    if scope in ("owner", "mine"):
        return "owner", value or user_name
    if scope == "team":
        teams = {t.value.lower(): t.value for t in Team if t != Team.unknown}
        if value is None or value.lower() not in teams:
            raise InvalidInput(f"a team feed needs a team: one of {', '.join(teams.values())}")
        return "team", teams[value.lower()]
    raise InvalidInput(f"feed scope {scope!r}: use all, mine (owner) or team")


class Feeds:
    def __init__(self, db: Database):
        self.db = db

    def _user_id(self, name: str) -> int:
        row = user_store.get_user(self.db.connect(), name)
        if row is None:
            raise UserNotFound(name)
        return int(row["id"])

    def create(
        self, user_name: str, scope: str = "owner", value: str | None = None, label: str = ""
    ) -> tuple[str, Feed]:
        """A new secret feed for `user_name`; the secret is returned only here."""
        user_id = self._user_id(user_name)
        scope_, value = check_scope(scope, value, user_name)
        secret = FEED_PREFIX + secrets.token_urlsafe(24)
        prefix = secret[: len(FEED_PREFIX) + 6]
        with self.db.transaction() as tx:
            feed_id = store.insert_feed(
                tx, user_id, _sha256(secret), prefix, scope_, value, label.strip()[:80]
            )
        return secret, self.list(user_name, feed_id)[0]

    def list(self, user_name: str, feed_id: int | None = None) -> list[Feed]:
        rows = store.list_feeds(self.db.connect(), self._user_id(user_name))
        return [_feed(r) for r in rows if feed_id is None or r["id"] == feed_id]

    def revoke(self, user_name: str, feed_id: int) -> None:
        with self.db.transaction() as tx:
            if not store.revoke_feed(tx, feed_id, self._user_id(user_name)):
                raise NotFound(f"no active calendar feed {feed_id} of {user_name}")

    def resolve(self, secret: str) -> Feed:
        """The feed a URL's secret opens; NotFound (404, saying nothing more) otherwise."""
        row = None
        if secret.startswith(FEED_PREFIX):
            row = store.feed_by_hash(self.db.connect(), _sha256(secret))
        if row is None:
            raise NotFound("no such calendar feed (it may have been revoked)")
        with self.db.transaction() as tx:
            store.touch_feed(tx, row["id"])
        return _feed(row)
