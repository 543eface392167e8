from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer(), "sqlite")
Stamp = DateTime(timezone=True)

sites = Table(
    "sites",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("origins", JSON, nullable=False),
    Column("settings", JSON, nullable=False),
    Column("created", Stamp, nullable=False),
)

threads = Table(
    "threads",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("uri", String(1000), nullable=False),
    Column("title", String(500)),
    Column("url", String(2000)),
    Column("closed", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False, default=0),
    Column("created", Stamp, nullable=False),
    UniqueConstraint("site_id", "uri"),
)

authors = Table(
    "authors",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(64), nullable=False),
    Column("name", String(200)),
    Column("email", String(320)),
    Column("website", String(1000)),
    Column("trusted", Boolean, nullable=False, default=False),
    Column("always_hold", Boolean, nullable=False, default=False),
    Column("created", Stamp, nullable=False),
    UniqueConstraint("site_id", "key"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("thread_id", Id, ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
    Column("parent_id", Id, ForeignKey("comments.id")),
    Column("reply_to_id", Id, ForeignKey("comments.id")),
    Column("author_id", Id, ForeignKey("authors.id")),
    Column("path", String(1000), nullable=False, default=""),
    Column("depth", Integer, nullable=False, default=0),
    Column("state", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("author_name", String(200)),
    Column("author_website", String(1000)),
    Column("avatar", String(64), nullable=False),
    Column("ip", String(64)),
    Column("notify", Boolean, nullable=False, default=False),
    Column("likes", Integer, nullable=False, default=0),
    Column("pinned", Boolean, nullable=False, default=False),
    Column("created", Stamp, nullable=False),
    Column("edited", Stamp),
    Column("import_key", String(200)),
    Index("ix_comments_thread_path", "thread_id", "path"),
    Index("ix_comments_thread_state", "thread_id", "state"),
    Index("ix_comments_author", "author_id", "created"),
    Index("ix_comments_created", "created"),
)

votes = Table(
    "votes",
    metadata,
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("voter", String(64), primary_key=True),
    Column("created", Stamp, nullable=False),
)

flags = Table(
    "flags",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("reporter", String(64), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("note", String(1000)),
    Column("resolved", Boolean, nullable=False, default=False),
    Column("created", Stamp, nullable=False),
    UniqueConstraint("comment_id", "reporter"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("signals", JSON, nullable=False),
    Column("created", Stamp, nullable=False),
    Index("ix_decisions_comment", "comment_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="SET NULL")),
    Column("actor", String(200), nullable=False),
    Column("action", String(32), nullable=False),
    Column("from_state", String(16)),
    Column("to_state", String(16)),
    Column("reason", String(1000)),
    Column("created", Stamp, nullable=False),
    Index("ix_audit_site_created", "site_id", "created"),
)

comment_embeddings = Table(
    "comment_embeddings",
    metadata,
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", Id, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("created", Stamp, nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float16 sentence embedding
    Index("ix_comment_embeddings_site_created", "site_id", "created"),
)
