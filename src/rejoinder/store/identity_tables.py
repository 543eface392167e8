"""Reader accounts (per site), their bearer tokens, email links, OAuth states, Mastodon apps."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from rejoinder.store.tables import Id, Stamp, metadata

reader_accounts = Table(
    "reader_accounts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    # the authors row every comment of this reader points at
    Column("author_id", Id, ForeignKey("authors.id"), nullable=False),
    Column("provider", String(32), nullable=False),  # email | github | google | mastodon | ...
    Column("subject", String(320), nullable=False),  # provider's stable id (email: the address)
    Column("display_name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False),  # identity.names.skeleton(display_name)
    Column("website", String(1000)),
    Column("email", String(320)),
    Column("email_verified", Boolean, nullable=False, default=False),
    Column("avatar_url", String(2000)),
    Column("created", Stamp, nullable=False),
    UniqueConstraint("site_id", "provider", "subject"),
    Index("ix_reader_accounts_name", "site_id", "name_key"),
)

reader_tokens = Table(
    "reader_tokens",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("reader_accounts.id", ondelete="CASCADE"),
           nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created", Stamp, nullable=False),
    Column("expires", Stamp, nullable=False),
    Column("revoked", Stamp),
    Index("ix_reader_tokens_account", "account_id"),
)

signin_links = Table(
    "signin_links",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("link_hash", String(64), nullable=False, unique=True),
    # the popup that asked waits with this secret and collects the token once the link is used
    Column("waiter_hash", String(64), nullable=False, unique=True),
    Column("account_id", Id, ForeignKey("reader_accounts.id", ondelete="CASCADE")),
    Column("created", Stamp, nullable=False),
    Column("expires", Stamp, nullable=False),
    Column("used", Stamp),
    Column("collected", Stamp),
)

signin_states = Table(
    "signin_states",
    metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("instance", String(255)),  # Mastodon host
    Column("origin", String(300), nullable=False),  # the page origin the popup reports to
    Column("code_verifier", String(128), nullable=False),
    Column("nonce", String(64), nullable=False),
    Column("claims", Text),  # JSON list of guest edit tokens to claim after sign-in
    Column("created", Stamp, nullable=False),
    Column("expires", Stamp, nullable=False),
    Column("used", Stamp),
)

mastodon_apps = Table(
    "mastodon_apps",
    metadata,
    Column("instance", String(255), primary_key=True),
    Column("client_id", String(200), nullable=False),
    Column("client_secret", String(200), nullable=False),
    Column("redirect_uri", String(1000), nullable=False),
    Column("created", Stamp, nullable=False),
)

avatar_cache = Table(
    "avatar_cache",
    metadata,
    Column("account_id", Id, ForeignKey("reader_accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("content_type", String(64), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("fetched", Stamp, nullable=False),
)
