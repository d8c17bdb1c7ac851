"""The search backend for a database connection, chosen by its vendor (SQLite FTS5 or
PostgreSQL full text); see ``base`` for the interface."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection

from candor.search.backends.base import SearchBackend
from candor.search.backends.postgres import PostgresBackend
from candor.search.backends.sqlite_fts5 import SqliteFts5Backend

BACKENDS: dict[str, type[SearchBackend]] = {
    "sqlite": SqliteFts5Backend,
    "postgresql": PostgresBackend,
}


def backend_for(connection=None) -> SearchBackend:
    connection = connection or default_connection
    try:
        return BACKENDS[connection.vendor](connection)
    except KeyError:
        raise ImproperlyConfigured(
            f"Candor's search supports SQLite and PostgreSQL, not {connection.vendor}"
        ) from None
