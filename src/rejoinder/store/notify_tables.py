"""Tables of the notification outbox, webhooks and their delivery log."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from rejoinder.store.tables import Id, Stamp, metadata

outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # email | webhook
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE")),
    Column("payload", JSON, nullable=False),
    Column("dedupe_key", String(300), nullable=False, unique=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Stamp, nullable=False),
    Column("sent_at", Stamp),
    Column("last_error", String(1000)),
    Column("created", Stamp, nullable=False),
    Index("ix_outbox_due", "sent_at", "next_attempt_at"),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("secret", String(200), nullable=False),
    Column("events", JSON, nullable=False),  # list of event names; empty: every event
    Column("format", String(16), nullable=False, default="json"),  # json | slack
    Column("active", Boolean, nullable=False, default=True),
    Column("created", Stamp, nullable=False),
    Index("ix_webhooks_site", "site_id"),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("outbox_id", Id, ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False),
    Column("webhook_id", Id, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("event", String(64), nullable=False),
    Column("status_code", Integer),
    Column("response", Text),
    Column("error", String(1000)),
    Column("duration_ms", Integer, nullable=False),
    Column("at", Stamp, nullable=False),
    Index("ix_webhook_deliveries_site_at", "site_id", "at"),
)
