"""Moderator accounts: argon2 passwords, lockout after failed logins, sessions kept in the store.

The session cookie holds a random token; the store keeps only its sha256, so a leaked database
does not hand out live sessions. Each session carries its own CSRF secret.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from rejoinder.errors import RejoinderError, forbidden, invalid, not_found
from rejoinder.services.sites import SiteDirectory
from rejoinder.store import accounts as account_store
from rejoinder.store.engine import Database

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 10
LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(days=7)
SESSION_IDLE = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)
LOGIN_FAILED = (
    "The username or password is wrong, or the account is locked for a while after too many "
    "failed attempts."
)


class Role(StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"


@dataclass(frozen=True, slots=True)
class Moderator:
    """A signed-in account and what it may act on."""

    id: int
    username: str
    role: Role
    site_ids: frozenset[int]
    site_keys: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def can_act_on(self, site_id: int) -> bool:
        return self.is_admin or site_id in self.site_ids

    def require_site(self, site_id: int) -> None:
        if not self.can_act_on(site_id):
            raise forbidden("forbidden_site", "Your account does not moderate this site.")


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    csrf: str
    moderator: Moderator
    expires: datetime


@dataclass(frozen=True, slots=True)
class Account:
    username: str
    role: Role
    sites: tuple[str, ...]
    created: datetime
    last_login: datetime | None
    locked_until: datetime | None


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _moderator(row: account_store.UserRow) -> Moderator:
    return Moderator(
        id=row.id, username=row.username, role=Role(row.role),
        site_ids=frozenset(row.site_ids), site_keys=tuple(row.site_keys),
    )


class AccountService:
    def __init__(
        self, db: Database, sites: SiteDirectory, hasher: PasswordHasher | None = None
    ) -> None:
        self.db = db
        self.sites = sites
        self.hasher = hasher or PasswordHasher()
        # verified against when the username is unknown, so both paths cost one argon2 check
        self._dummy = self.hasher.hash(secrets.token_hex(16))

    async def add_user(
        self, username: str, password: str, role: Role | str, site_keys: list[str]
    ) -> Moderator:
        if not USERNAME.match(username):
            raise invalid("invalid_username",
                          "A username is 1-64 letters, digits, '.', '_', '@' or '-'.", "username")
        check_password(password)
        role = Role(role)
        site_ids = [(await self.sites.require(k)).id for k in site_keys]
        async with self.db.write() as conn:
            try:
                user_id = await account_store.create_user(
                    conn, username, self.hasher.hash(password), role.value, site_ids
                )
            except account_store.UserExists:
                raise RejoinderError(409, "user_exists", f"{username!r} exists already.") from None
            row = await account_store.user_by_id(conn, user_id)
        assert row is not None
        return _moderator(row)

    async def list_users(self) -> list[Account]:
        async with self.db.read() as conn:
            rows = await account_store.all_users(conn)
        return [
            Account(r.username, Role(r.role), tuple(r.site_keys), r.created, r.last_login,
                    r.locked_until)
            for r in rows
        ]

    async def remove_user(self, username: str) -> None:
        async with self.db.write() as conn:
            row = await account_store.user_by_username(conn, username)
            if row is None:
                raise not_found("unknown_user", f"There is no user {username!r}.")
            await account_store.delete_user(conn, row.id)

    async def set_password(self, username: str, password: str) -> None:
        """Set a new password, unlock the account and end every session of it."""
        check_password(password)
        async with self.db.write() as conn:
            row = await account_store.user_by_username(conn, username)
            if row is None:
                raise not_found("unknown_user", f"There is no user {username!r}.")
            await account_store.set_password_hash(conn, row.id, self.hasher.hash(password))
            await account_store.unlock_user(conn, row.id)
            await account_store.revoke_user_sessions(conn, row.id)

    async def change_password(self, session: Session, current: str, new: str) -> None:
        """The signed-in moderator's own change; other sessions of the account end."""
        check_password(new)
        async with self.db.write() as conn:
            row = await account_store.user_by_id(conn, session.moderator.id)
            if row is None or not self._verify(row.password_hash, current):
                raise forbidden("wrong_password", "The current password is wrong.")
            await account_store.set_password_hash(conn, row.id, self.hasher.hash(new))
            await account_store.revoke_user_sessions(conn, row.id, keep=session.id)

    async def authenticate(self, username: str, password: str) -> Moderator:
        """The account, or 403 ``login_failed`` with one message for every kind of failure."""
        failed = forbidden("login_failed", LOGIN_FAILED)
        async with self.db.read() as conn:
            row = await account_store.user_by_username(conn, username)
        if row is None:
            self._verify(self._dummy, password)
            raise failed
        stamp = datetime.now(UTC)
        if row.locked_until is not None and row.locked_until > stamp:
            self._verify(self._dummy, password)
            raise failed
        if not self._verify(row.password_hash, password):
            async with self.db.write() as conn:
                await account_store.record_failed_login(
                    conn, row.id, lock_after=LOCK_AFTER, lock_until=stamp + LOCK_FOR
                )
            raise failed
        async with self.db.write() as conn:
            await account_store.record_login(conn, row.id)
            if self.hasher.check_needs_rehash(row.password_hash):
                await account_store.set_password_hash(conn, row.id, self.hasher.hash(password))
        return _moderator(row)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def start_session(self, moderator: Moderator) -> tuple[str, Session]:
        """A new session; returns the cookie token (never stored) and the session."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = datetime.now(UTC) + SESSION_LIFETIME
        sid = session_id(token)
        async with self.db.write() as conn:
            await account_store.create_session(conn, sid, moderator.id, csrf, expires)
        return token, Session(sid, csrf, moderator, expires)

    async def session(self, token: str | None) -> Session | None:
        if not token or len(token) > 200:
            return None
        sid = session_id(token)
        async with self.db.read() as conn:
            row = await account_store.session_by_id(conn, sid)
            user = await account_store.user_by_id(conn, row.user_id) if row else None
        stamp = datetime.now(UTC)
        if (
            row is None or user is None or row.revoked or row.expires <= stamp
            or row.last_seen + SESSION_IDLE <= stamp
        ):
            return None
        if stamp - row.last_seen > TOUCH_EVERY:
            async with self.db.write() as conn:
                await account_store.touch_session(conn, sid)
        return Session(sid, row.csrf, _moderator(user), row.expires)

    async def end_session(self, session: Session) -> None:
        async with self.db.write() as conn:
            await account_store.revoke_session(conn, session.id)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise invalid("weak_password",
                      f"A password needs at least {MIN_PASSWORD} characters.", "password")
    if len(password) > 1024:
        raise invalid("invalid_password", "That password is too long.", "password")
