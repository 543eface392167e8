"""Imports every table module so the metadata (and Alembic) sees the whole schema."""

from rejoinder.store.tables import metadata

__all__ = ["metadata"]
