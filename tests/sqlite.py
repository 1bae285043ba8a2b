"""An in-memory SQLite database beside the test database: the demo's engine, for the queries
that must answer the same on both (they read from it through ``.using(alias)``)."""

from contextlib import contextmanager

from django.db import connections
from django.db.utils import load_backend


@contextmanager
def in_memory_sqlite(alias: str, models):
    """A SQLite database in memory named ``alias``, with the tables of ``models`` only (foreign
    keys to the others go unchecked), for as long as the block lasts.

    Registered as a connection of the thread only, not in the settings: Django's test case lets
    such a connection open, where it would refuse a database the test did not declare.
    """
    # Django fills in the other settings only beside a default database.
    configured = connections.configure_settings(
        {
            "default": connections.settings["default"],
            alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        }
    )[alias]
    database = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias=alias)
    connections[alias] = database
    try:
        with database.schema_editor() as editor:
            for model in models:
                editor.create_model(model)
        database.disable_constraint_checking()
        yield database
    finally:
        database.close()
        del connections[alias]
