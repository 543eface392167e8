"""Imports every table module so the metadata (and Alembic) sees the whole schema."""

from rejoinder.store.tables import metadata

__all__ = ["metadata"]
import rejoinder.store.account_tables
import rejoinder.store.notify_tables  # noqa: F401
import rejoinder.store.identity_tables  # noqa: F401
