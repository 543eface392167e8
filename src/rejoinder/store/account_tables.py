"""Moderator accounts, their sessions, bans and the labels moderators' decisions leave behind."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from rejoinder.store.tables import Id, Stamp, metadata

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),  # admin | moderator
    Column("created", Stamp, nullable=False),
    Column("last_login", Stamp),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", Stamp),
)

user_sites = Table(
    "user_sites",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 hex of the cookie token
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created", Stamp, nullable=False),
    Column("expires", Stamp, nullable=False),
    Column("last_seen", Stamp, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Index("ix_sessions_user", "user_id"),
)

bans = Table(
    "bans",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # author | ip | email_domain
    Column("value", String(320), nullable=False),
    Column("reason", String(1000)),
    Column("created_by", String(200), nullable=False),
    Column("created", Stamp, nullable=False),
    Column("expires", Stamp),
    Index("ix_bans_site_kind_value", "site_id", "kind", "value"),
)

moderation_labels = Table(
    "moderation_labels",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="SET NULL")),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(32), nullable=False),  # approve | reject | spam | flag_confirmed
    Column("text", Text, nullable=False),
    Column("created", Stamp, nullable=False),
    Index("ix_moderation_labels_site_created", "site_id", "created"),
)
