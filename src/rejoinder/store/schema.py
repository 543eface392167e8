"""Imports every table module so the metadata (and Alembic) sees the whole schema."""

from rejoinder.store import (  # noqa: F401  (imported for their tables)
    account_tables,
    identity_tables,
    notify_tables,
)
from rejoinder.store.tables import metadata

__all__ = ["metadata"]
