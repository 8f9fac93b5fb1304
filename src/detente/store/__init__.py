"""DuckDB store: schema, writes and queries."""

from .duck import EVENT_COLUMNS, MENTION_COLUMNS, READ_COLUMNS, Store, open_store

__all__ = ["EVENT_COLUMNS", "MENTION_COLUMNS", "READ_COLUMNS", "Store", "open_store"]
