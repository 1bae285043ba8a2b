"""Test databases copied from a migrated template instead of migrated one by one.

Migrating an empty database takes about twenty seconds, once per xdist worker and once per
run (four runs in `make test`: the suite, then the tests marked `clock` at three instants).
Instead the first worker that needs it migrates ``test_<name>_template_<key>`` once, under an
advisory lock, and every worker's database is a copy of it (``CREATE DATABASE ... TEMPLATE``,
about a second). The key is a digest of every migration file, of the project's modules they
import and of the Django version, so a changed or new migration makes a new template; older
templates of the same name are dropped when a new one is made. The template is kept between runs on the same server.
"""

import ast
import hashlib
import importlib.util
import inspect
import zlib
from pathlib import Path

import django
import time_machine
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

# When the template's migrations run, for every run (see _make_template).
MIGRATED_AT = "2020-01-01T09:00:00+00:00"


def _project_imports(source: bytes) -> set[str]:
    """The project's own modules a migration imports (the roles it grants, the instruments it
    seeds): what they define is in the template too."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from training import instruments` names a module too
            names.update({node.module, *(f"{node.module}.{alias.name}" for alias in node.names)})
    root = Path(settings.BASE_DIR).resolve()
    own = set()
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):  # a name in a module, not a module
            continue
        origin = Path(spec.origin).resolve() if spec and spec.has_location else None
        if origin and origin.is_relative_to(root) and "site-packages" not in origin.parts:
            own.add(str(origin))
    return own


def migrations_key() -> str:
    """A digest of every migration the project would apply, of the project's modules they
    import, and of Django's version."""
    digest = hashlib.sha256(f"{django.get_version()} {MIGRATED_AT}".encode())
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    imported = set()
    for key in sorted(loader.disk_migrations):
        module = inspect.getmodule(loader.disk_migrations[key])
        source = Path(inspect.getsourcefile(module)).read_bytes()
        digest.update(repr(key).encode())
        digest.update(source)
        imported |= _project_imports(source)
    for path in sorted(imported):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _point_at(name: str) -> None:
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _make_template(name: str, prefix: str) -> None:
    """Migrate a new database ``name``, then drop the older templates of ``prefix``."""
    creation = connection.creation
    original, test_settings = connection.settings_dict["NAME"], connection.settings_dict.setdefault("TEST", {})
    wanted = test_settings.get("NAME")
    test_settings["NAME"] = name
    try:
        # The rows the migrations install (roles, default templates, their history) are dated
        # at one fixed instant before any a run may pin, never at the instant of whichever run
        # happened to make the template: else "the latest history row" depends on that run.
        with time_machine.travel(MIGRATED_AT, tick=False):
            creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    finally:
        test_settings["NAME"] = wanted
        _point_at(original)
    with creation._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix.replace("_", r"\_") + "%"])
        for (older,) in cursor.fetchall():
            if older != name:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(older)}")


def setup_from_template() -> tuple[str, str]:
    """Point the default connection at a fresh copy of the migrated template; returns (original, copy) names."""
    creation = connection.creation
    original = connection.settings_dict["NAME"]
    target = creation._get_test_db_name()
    prefix = f"test_{original}_template_"
    template = prefix + migrations_key()
    lock = zlib.crc32(prefix.encode())
    with creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
        try:
            if not _exists(cursor, template):
                _make_template(template, prefix)
            cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(target)}")
            cursor.execute(f"CREATE DATABASE {_quoted(target)} TEMPLATE {_quoted(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
    _point_at(target)
    # What a test that commits puts back after it (see conftest.pytest_runtest_teardown).
    connection._test_serialized_contents = creation.serialize_db_to_string()
    return original, target


def teardown(original: str, target: str) -> None:
    _point_at(original)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(target)}")
