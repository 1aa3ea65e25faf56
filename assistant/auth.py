"""Who may use Liaison: users with roles, passwords, sign-in sessions and personal API tokens.

    viewer < member < leader < admin      (each role may do what the ones before it may)

Passwords are argon2 hashes. A session or an API token is a random secret held by the client;
the database keeps only its sha256, so a copy of the database cannot be replayed, and signing
out (or removing a user) revokes at once. Tokens are tied to the password: setting a new one
ends every session and token of the user. A token may also expire (`expires_in`). Failed
sign-ins are counted per name and address in the database, so the limit survives a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel

from assistant.config import Settings
from assistant.errors import AuthError, Conflict, InvalidInput, UserNotFound
from assistant.store import Database
from assistant.store import users as q

TOKEN_PREFIX = "lia_"
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class Role(StrEnum):
    viewer = "viewer"
    member = "member"
    leader = "leader"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """True when this role may do what `needed` may."""
        return self.rank >= needed.rank


class TooManyAttempts(AuthError):
    """Too many failed sign-ins for this name from this address (HTTP 429)."""

    def __init__(self, retry_after_s: int):
        self.retry_after_s = retry_after_s
        minutes = max(1, round(retry_after_s / 60))
        super().__init__(
            f"too many failed sign-ins; try again in {minutes} minute{'s' if minutes > 1 else ''}"
        )


class User(BaseModel):
    id: int
    name: str
    role: Role
    must_change_password: bool = False
    created_at: datetime | None = None


class Session(BaseModel):
    """A signed-in browser. `csrf` must accompany every change it asks for."""

    user: User
    csrf: str
    expires_at: datetime
    key: str  # sha256 of the cookie value


class ApiToken(BaseModel):
    id: int
    user_name: str
    prefix: str  # shown to identify the token; the secret itself is shown only once
    label: str = ""
    created_at: datetime | None = None
    last_used_at: datetime | None = None
    expires_at: datetime | None = None  # None: until revoked or the password changes


MAX_LIFETIME = timedelta(days=3660)
_LIFETIME = re.compile(r"(\d{1,5})\s*(h|d|w|y)", re.IGNORECASE)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_lifetime(text: str) -> timedelta | None:
    """'30d', '12h', '2w', '1y' → how long a token lives; 'never' or '' → None."""
    text = text.strip().lower()
    if text in ("", "never", "none"):
        return None
    match = _LIFETIME.fullmatch(text)
    if not match:
        raise InvalidInput(
            f"token lifetime {text!r}: use a number and h, d, w or y (e.g. 30d), or 'never'"
        )
    count, unit = int(match.group(1)), match.group(2).lower()
    lifetime = timedelta(days=365 * count) if unit == "y" else count * _UNITS[unit]
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise InvalidInput("a token lives from 1 hour to 10 years (or 'never' expires)")
    return lifetime


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _user(row: sqlite3.Row | None) -> User:
    if row is None:  # read back inside the transaction that wrote it: cannot happen
        raise UserNotFound("?")
    return User(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        must_change_password=bool(row["must_change_password"]),
        created_at=row["created_at"],
    )


def generate_password() -> str:
    """A readable one-time password (about 80 bits)."""
    return "-".join(secrets.token_urlsafe(5) for _ in range(3))


class Auth:
    """Users, sessions, tokens and the sign-in rate limit over one database."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        """`clock` returns the current time (aware); tests pass one to move time forward."""
        self.db = db
        self.settings = settings
        self.hasher = hasher or PasswordHasher()
        self.clock = clock or (lambda: datetime.now(UTC))
        # Verified against when the name is unknown, so both cases take the same time.
        self._dummy_hash = self.hasher.hash(secrets.token_hex(8))

    # ------------------------------------------------------------------ users

    def add_user(
        self, name: str, role: Role | str, password: str | None, *, must_change: bool = False
    ) -> User:
        """Create a user. `password=None` creates one who can only use API tokens."""
        name = name.strip()
        if not _NAME.match(name):
            raise InvalidInput(
                "user name must be 1-64 letters, digits, '.', '_', '@' or '-' (no spaces)"
            )
        role = self._role(role)
        hashed = None if password is None else self._hash(password)
        with self.db.transaction() as tx:
            if q.get_user(tx, name):
                raise Conflict(f"user {name!r} already exists")
            user_id = q.insert_user(tx, name, role.value, hashed, must_change)
            return _user(q.get_user_by_id(tx, user_id))

    def users(self) -> list[User]:
        return [_user(r) for r in q.list_users(self.db.connect())]

    def user(self, name: str) -> User:
        row = q.get_user(self.db.connect(), name)
        if row is None:
            raise UserNotFound(name)
        return _user(row)

    def remove_user(self, name: str) -> User:
        """Delete a user with their sessions and tokens. The last admin cannot be removed."""
        with self.db.transaction() as tx:
            row = q.get_user(tx, name)
            if row is None:
                raise UserNotFound(name)
            if row["role"] == Role.admin and q.count_users(tx, Role.admin.value) == 1:
                raise InvalidInput("cannot remove the last admin")
            q.delete_user(tx, row["id"])
            return _user(row)

    def set_role(self, name: str, role: Role | str) -> User:
        role = self._role(role)
        with self.db.transaction() as tx:
            row = q.get_user(tx, name)
            if row is None:
                raise UserNotFound(name)
            if (
                row["role"] == Role.admin
                and role != Role.admin
                and q.count_users(tx, Role.admin.value) == 1
            ):
                raise InvalidInput("cannot demote the last admin")
            q.update_user(tx, row["id"], role=role.value)
            return _user(q.get_user_by_id(tx, row["id"]))

    def set_password(
        self, name: str, password: str, *, must_change: bool = False, keep_session: str = ""
    ) -> User:
        """Set a new password and sign the user out everywhere except `keep_session`."""
        hashed = self._hash(password)
        with self.db.transaction() as tx:
            row = q.get_user(tx, name)
            if row is None:
                raise UserNotFound(name)
            q.update_user(
                tx, row["id"], password_hash=hashed, must_change_password=int(must_change)
            )
            q.delete_user_sessions(tx, row["id"], keep=keep_session or None)
            # A token is a password for scripts: whoever resets a leaked password must not
            # have to hunt for the tokens made with it.
            q.revoke_user_tokens(tx, row["id"], "password changed")
            return _user(q.get_user_by_id(tx, row["id"]))

    def change_password(self, user: User, current: str, new: str, keep_session: str = "") -> User:
        """A user changing their own password must know the current one."""
        row = q.get_user_by_id(self.db.connect(), user.id)
        if row is None or not self._verify(row["password_hash"], current):
            raise InvalidInput("the current password is wrong")
        if hmac.compare_digest(current, new):
            raise InvalidInput("the new password must differ from the current one")
        return self.set_password(user.name, new, keep_session=keep_session)

    def ensure_admin(self, password: str | None = None) -> str | None:
        """First run: when there are no users, create `admin`.

        With `password` (e.g. from LIAISON_ADMIN_PASSWORD) that is its password. Without, a
        one-time password is generated, returned (print it once) and must be changed at the
        first sign-in. Returns None when users already exist or a password was given."""
        if q.count_users(self.db.connect()):
            return None
        generated = None if password else generate_password()
        try:
            self.add_user("admin", Role.admin, password or generated, must_change=not password)
        except Conflict:  # another process created it meanwhile
            return None
        return generated

    # ------------------------------------------------------------------ sign-in

    def authenticate(self, name: str, password: str, ip: str = "") -> User:
        """Check a name and password. Raises AuthError, or TooManyAttempts when this name
        failed too often from this address within the window."""
        key = name.strip().lower()
        now = self.clock()
        window = timedelta(seconds=self.settings.login_window_s)
        conn = self.db.connect()
        failures = q.failures_since(conn, key, ip, _iso(now - window))
        if len(failures) >= self.settings.login_max_failures:
            oldest = datetime.fromisoformat(failures[-self.settings.login_max_failures])
            raise TooManyAttempts(max(1, int((oldest + window - now).total_seconds())))
        row = q.get_user(conn, name.strip()) if name.strip() else None
        if row is not None and self._verify(row["password_hash"], password):
            with self.db.transaction() as tx:
                q.clear_failures(tx, key, ip)
                if self.hasher.check_needs_rehash(row["password_hash"]):
                    q.update_user(tx, row["id"], password_hash=self._hash(password))
            return _user(row)
        if row is None:
            self._verify(self._dummy_hash, password)
        with self.db.transaction() as tx:
            q.prune_failures(tx, _iso(now - window))
            q.add_failure(tx, key, ip, _iso(now))
        raise AuthError("wrong user name or password")

    def start_session(self, user: User, ip: str = "") -> tuple[str, Session]:
        """Open a session; returns the cookie value (secret) and the session."""
        secret = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        now = self.clock()
        expires = now + timedelta(days=self.settings.session_days)
        with self.db.transaction() as tx:
            q.delete_expired_sessions(tx, _iso(now))
            q.insert_session(tx, _sha256(secret), user.id, csrf, _iso(expires), ip)
        return secret, Session(user=user, csrf=csrf, expires_at=expires, key=_sha256(secret))

    def session(self, secret: str) -> Session | None:
        """The live session for a cookie value, or None (unknown, expired or signed out)."""
        if not secret:
            return None
        conn = self.db.connect()
        key = _sha256(secret)
        row = q.get_session(conn, key)
        if row is None:
            return None
        now = self.clock()
        if datetime.fromisoformat(row["expires_at"]) <= now:
            with self.db.transaction() as tx:
                q.delete_session(tx, key)
            return None
        user = q.get_user_by_id(conn, row["user_id"])
        if user is None:
            return None
        # Record activity at most once a minute: reads should not all become writes.
        if now - datetime.fromisoformat(row["last_seen_at"]) > timedelta(minutes=1):
            with self.db.transaction() as tx:
                q.touch_session(tx, key, _iso(now))
        return Session(
            user=_user(user),
            csrf=row["csrf"],
            expires_at=datetime.fromisoformat(row["expires_at"]),
            key=key,
        )

    def end_session(self, secret_or_key: str) -> None:
        """Sign out: the cookie stops working at once."""
        with self.db.transaction() as tx:
            q.delete_session(tx, secret_or_key)
            q.delete_session(tx, _sha256(secret_or_key))

    # ------------------------------------------------------------------ API tokens

    def create_token(
        self, name: str, label: str = "", expires_in: timedelta | None = None
    ) -> tuple[str, ApiToken]:
        """A new personal API token for user `name`, valid until revoked, until the user's
        password changes, or for `expires_in`. The secret is returned only here."""
        user = self.user(name)
        if expires_in is not None and not timedelta(0) < expires_in <= MAX_LIFETIME:
            raise InvalidInput("a token lives from 1 hour to 10 years (or 'never' expires)")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        prefix = secret[: len(TOKEN_PREFIX) + 8]
        now = self.clock()
        expires = now + expires_in if expires_in else None
        with self.db.transaction() as tx:
            token_id = q.insert_token(
                tx,
                user.id,
                _sha256(secret),
                prefix,
                label.strip()[:80],
                _iso(expires) if expires else None,
            )
        token = ApiToken(
            id=token_id,
            user_name=user.name,
            prefix=prefix,
            label=label,
            created_at=now,
            expires_at=expires,
        )
        return secret, token

    def tokens(self, name: str) -> list[ApiToken]:
        user = self.user(name)
        return [
            ApiToken(
                id=r["id"],
                user_name=user.name,
                prefix=r["prefix"],
                label=r["label"],
                created_at=r["created_at"],
                last_used_at=r["last_used_at"],
                expires_at=r["expires_at"],
            )
            for r in q.list_tokens(self.db.connect(), user.id)
        ]

    def revoke_token(self, token_id: int, owner: str | None = None) -> None:
        """Revoke a token; with `owner`, only if it belongs to that user."""
        owner_id = self.user(owner).id if owner else None
        with self.db.transaction() as tx:
            if not q.revoke_token(tx, token_id, owner_id):
                raise InvalidInput(f"no active token {token_id}")

    def token_user(self, secret: str) -> User | None:
        """The user a bearer token belongs to, or None if it does not work (see check_token)."""
        try:
            return self.check_token(secret)
        except AuthError:
            return None

    def check_token(self, secret: str) -> User:
        """The user a bearer token belongs to. Raises AuthError saying why it does not work:
        unknown, revoked, ended by a password change, or expired."""
        if not secret.startswith(TOKEN_PREFIX):
            raise AuthError("unknown API token (tokens start with 'lia_')")
        conn = self.db.connect()
        row = q.get_token(conn, _sha256(secret))
        user = q.get_user_by_id(conn, row["user_id"]) if row is not None else None
        if row is None or user is None:
            raise AuthError("unknown API token")
        renew = f"; create a new one (account page, or `liaison users token {user['name']}`)"
        if row["revoked_at"] is not None:
            if row["revoked_reason"] == "password changed":
                raise AuthError(f"this API token ended when the password changed{renew}")
            raise AuthError(f"this API token was revoked{renew}")
        now = self.clock()
        if row["expires_at"] and datetime.fromisoformat(row["expires_at"]) <= now:
            raise AuthError(f"this API token expired on {row['expires_at'][:10]}{renew}")
        last = row["last_used_at"]
        if last is None or now - datetime.fromisoformat(last) > timedelta(minutes=1):
            with self.db.transaction() as tx:
                q.touch_token(tx, row["id"], _iso(now))
        return _user(user)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _role(role: Role | str) -> Role:
        try:
            return Role(role)
        except ValueError:
            raise InvalidInput(
                f"unknown role {role!r}; use one of: {', '.join(r.value for r in Role)}"
            ) from None

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD:
            raise InvalidInput(f"password must be at least {MIN_PASSWORD} characters")
        return self.hasher.hash(password)

    def _verify(self, hashed: str | None, password: str) -> bool:
        if not hashed:
            return False
        try:
            return self.hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False
