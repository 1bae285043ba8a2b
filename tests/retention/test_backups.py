"""`manage.py backup`: the dump, its deletion after the policy's backup days, and a restore.

pg_dump is a program outside Bloom; where a test needs it to say an old version or to fail
halfway, a small shell script stands in for it (``BLOOM_PG_DUMP``). The restore test runs the
real pg_dump and pg_restore, as the README tells a program to, into a scratch database.
"""

import os
import secrets
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from bloom.accounts.models import Role
from cases.models import Case, Survivor
from retention import backups
from retention.services import set_policy
from tests.conftest import ROOT
from tests.factories import make_case, make_team, make_user

NEW_YORK = timezone.get_default_timezone()


def at(text: str) -> datetime:
    """A local (program) time."""
    return datetime.fromisoformat(text).replace(tzinfo=NEW_YORK)


def backup_name(taken: datetime, *, partial: bool = False) -> str:
    stamp = taken.astimezone(UTC).strftime(backups.STAMP)
    return f".bloom-{stamp}.dump.partial" if partial else f"bloom-{stamp}.dump"


def plant(folder: Path, name: str, *, modified: datetime | None = None) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"PGDMP made up")
    if modified:
        os.utime(path, (modified.timestamp(), modified.timestamp()))
    return path


def fake_pg_dump(folder: Path, *, version: str, body: str = "printf 'PGDMP made up'") -> Path:
    """A stand-in for pg_dump: says ``version`` to --version, otherwise runs ``body``."""
    program = folder / "pg_dump"
    program.write_text(
        f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) {version}"; exit 0; fi\n{body}\n'
    )
    program.chmod(0o700)
    return program


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# Which backups go --------------------------------------------------------------------------


def test_backups_go_by_the_program_day_in_their_name(tmp_path):
    now = at("2026-11-18T10:30:00")
    old = plant(tmp_path, backup_name(at("2026-10-01T02:00:00")))
    # 23:59 in New York on 19 October is already the 20th in UTC, where the name's stamp is;
    # it is the program's day that counts.
    last_day = plant(tmp_path, backup_name(at("2026-10-19T23:59:00")))
    plant(tmp_path, backup_name(at("2026-10-20T00:00:30")))
    plant(tmp_path, backup_name(at("2026-11-18T02:00:00")))

    assert backups.expired(tmp_path, now=now, keep_days=30) == [old, last_day]


def test_the_name_not_the_modification_time_says_how_old_a_backup_is(tmp_path):
    now = at("2026-11-18T10:30:00")
    copied_back = plant(tmp_path, backup_name(at("2026-09-01T02:00:00")), modified=now)
    plant(tmp_path, backup_name(at("2026-11-17T02:00:00")), modified=at("2020-01-01T00:00:00"))

    assert backups.expired(tmp_path, now=now, keep_days=30) == [copied_back]


def test_only_files_the_command_made_are_deleted(tmp_path):
    now = at("2026-11-18T10:30:00")
    long_ago = at("2026-01-05T02:00:00")
    for name in ("notes.txt", "bloom-latest.dump", "bloom-20261399T000000Z.dump", f"x{backup_name(long_ago)}"):
        plant(tmp_path, name, modified=long_ago)
    (tmp_path / backup_name(long_ago)).mkdir()
    interrupted = plant(tmp_path, backup_name(long_ago, partial=True))
    plant(tmp_path, backup_name(now, partial=True))  # being written now

    deleted = backups.delete(backups.expired(tmp_path, now=now, keep_days=30))

    assert deleted == [interrupted]
    assert names(tmp_path) == sorted([
        ".bloom-20261118T153000Z.dump.partial",
        "bloom-20260105T070000Z.dump",
        "bloom-20261399T000000Z.dump",
        "bloom-latest.dump",
        "notes.txt",
        "xbloom-20260105T070000Z.dump",
    ])  # fmt: skip


def test_a_backup_made_today_is_kept_however_short_the_policy(tmp_path):
    now = at("2026-11-18T10:30:00")
    plant(tmp_path, backup_name(at("2026-11-18T00:00:01")))
    yesterday = plant(tmp_path, backup_name(at("2026-11-17T23:59:59")))

    assert backups.expired(tmp_path, now=now, keep_days=1) == [yesterday]


def test_a_missing_folder_has_nothing_to_delete(tmp_path):
    assert backups.expired(tmp_path / "none", now=at("2026-11-18T10:30:00"), keep_days=30) == []


# What pg_dump is given ----------------------------------------------------------------------


def test_the_password_goes_in_the_environment_never_on_the_command_line():
    settings_dict = {
        "NAME": "bloom",
        "USER": "bloom",
        "PASSWORD": "never-on-the-command-line",
        "HOST": "db.internal",
        "PORT": 5432,
        "OPTIONS": {"sslmode": "require"},
    }

    args, env = backups.dump_command("/usr/lib/postgresql/16/bin/pg_dump", settings_dict)

    assert args == [
        "/usr/lib/postgresql/16/bin/pg_dump", "-U", "bloom", "-h", "db.internal", "-p", "5432",
        "--format=custom", "--no-password", "bloom",
    ]  # fmt: skip
    assert (env["PGPASSWORD"], env["PGSSLMODE"]) == ("never-on-the-command-line", "require")


def test_an_older_pg_dump_is_refused_with_what_to_install():
    with pytest.raises(backups.BackupError) as refused:
        backups.check_versions(program="/usr/bin/pg_dump", client=15, server=16)

    assert str(refused.value) == (
        "/usr/bin/pg_dump is pg_dump 15, older than the PostgreSQL 16 server it would back up, so no backup "
        "was made. Install the PostgreSQL 16 client tools (postgresql-client-16) or set BLOOM_PG_DUMP to a "
        "pg_dump of version 16 or later."
    )


def test_a_pg_dump_as_new_as_the_server_or_newer_is_taken():
    backups.check_versions(program="pg_dump", client=16, server=16)
    backups.check_versions(program="pg_dump", client=17, server=16)


@pytest.mark.django_db
def test_the_command_refuses_a_pg_dump_older_than_the_server(tmp_path, settings):
    old = backups.server_major() - 1
    settings.BLOOM_PG_DUMP = str(fake_pg_dump(tmp_path, version=f"{old}.9"))
    settings.BLOOM_BACKUP_DIR = tmp_path / "backups"

    with pytest.raises(CommandError, match=f"is pg_dump {old}, older than the PostgreSQL {old + 1} server"):
        call_command("backup")

    assert not settings.BLOOM_BACKUP_DIR.exists()


@pytest.mark.django_db
def test_a_pg_dump_that_cannot_be_found_is_named(tmp_path, settings):
    settings.BLOOM_PG_DUMP = str(tmp_path / "pg_dump")
    settings.BLOOM_BACKUP_DIR = tmp_path / "backups"

    with pytest.raises(CommandError, match=r"BLOOM_PG_DUMP is .*/pg_dump, which is not a program that can be run\."):
        call_command("backup")


@pytest.mark.django_db
def test_without_a_pg_dump_the_command_says_what_to_install(settings, monkeypatch, tmp_path):
    settings.BLOOM_PG_DUMP = ""
    settings.BLOOM_BACKUP_DIR = tmp_path / "backups"
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CommandError, match=r"^pg_dump was not found\. Install .*postgresql-client-16"):
        call_command("backup")


@pytest.mark.django_db
def test_a_failed_pg_dump_leaves_no_partial_file_and_deletes_nothing(tmp_path, settings):
    folder = tmp_path / "backups"
    old = plant(folder, backup_name(timezone.now() - timedelta(days=400)))
    settings.BLOOM_BACKUP_DIR = folder
    settings.BLOOM_PG_DUMP = str(
        fake_pg_dump(
            tmp_path,
            version="99.0",
            body="printf 'PGDMP half a dump'\necho 'pg_dump: error: connection to server was lost' >&2\nexit 1",
        )
    )

    with pytest.raises(CommandError) as failed:
        call_command("backup")

    assert str(failed.value) == (
        "pg_dump failed (exit status 1), so no backup was made and none was deleted: "
        "pg_dump: error: connection to server was lost"
    )
    assert names(folder) == [old.name]


@pytest.mark.clock
@pytest.mark.django_db
def test_the_command_deletes_what_the_policy_no_longer_keeps(tmp_path, settings):
    set_policy(
        by=make_user(Role.PROGRAM_DIRECTOR),
        narratives_months=24,
        documents_months=24,
        identity_months=36,
        reopen_months=6,
        backup_days=7,
    )
    folder = tmp_path / "backups"
    today = timezone.localdate()
    gone = plant(folder, backup_name(at(f"{today - timedelta(days=7)}T12:00:00")))
    kept = plant(folder, backup_name(at(f"{today - timedelta(days=6)}T12:00:00")))
    settings.BLOOM_BACKUP_DIR = folder
    settings.BLOOM_PG_DUMP = str(fake_pg_dump(tmp_path, version="99.0"))
    out = StringIO()

    call_command("backup", stdout=out)

    made = backup_name(timezone.now())
    assert names(folder) == sorted([kept.name, made])
    assert out.getvalue().splitlines() == [
        f"Backed up the database {connection.settings_dict['NAME']} to {folder / made} (13 bytes).",
        "Backups are kept 7 days (the retention policy).",
        f"Deleted 1 backup made on {today - timedelta(days=7)} or before:",
        f"  {gone.name}",
    ]


@pytest.mark.django_db
def test_a_dry_run_makes_and_deletes_nothing(tmp_path, settings):
    folder = tmp_path / "backups"
    old = plant(folder, backup_name(timezone.now() - timedelta(days=400)))
    settings.BLOOM_BACKUP_DIR = folder
    settings.BLOOM_PG_DUMP = str(fake_pg_dump(tmp_path, version="99.0"))
    out = StringIO()

    call_command("backup", "--dry-run", stdout=out)

    assert names(folder) == [old.name]
    lines = out.getvalue().splitlines()
    last_day = backups.last_day_deleted(now=timezone.now(), keep_days=backups.backup_days())
    assert lines[0].startswith(f"Dry run: would back up the database {connection.settings_dict['NAME']} into {folder}")
    assert lines[-2:] == [f"Would delete 1 backup made on {last_day} or before:", f"  {old.name}"]


# The SQLite demo ----------------------------------------------------------------------------


def test_on_the_sqlite_demo_the_command_says_what_to_do_instead(tmp_path):
    env = {
        **{name: value for name, value in os.environ.items() if name not in {"DATABASE_URL", "REDIS_URL"}},
        "BLOOM_ENV": "development",
        "BLOOM_VAR_DIR": str(tmp_path / "var"),
        "BLOOM_BACKUP_DIR": str(tmp_path / "backups"),
    }

    done = subprocess.run(
        [sys.executable, "manage.py", "backup"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert done.returncode == 1
    assert done.stdout == ""
    # Before it, the system checks' warnings about SQLite, as every command on the demo prints.
    assert done.stderr.splitlines()[-1] == (
        f"CommandError: This is the SQLite demo database ({tmp_path / 'var' / 'bloom.sqlite3'}). "
        "`manage.py backup` makes PostgreSQL backups only, so it made none. To keep a copy of the demo, "
        "stop Bloom (Ctrl-C where `make run` runs) and copy the database file and the private files in "
        f"{tmp_path / 'var' / 'private'}; with the defaults both are in the var/ folder."
    )
    assert not (tmp_path / "backups").exists()


# A restore ------------------------------------------------------------------------------------


@pytest.fixture
def scratch_database(transactional_db):
    """An empty database of this test's own, dropped afterwards whatever happened."""
    name = f"{connection.settings_dict['NAME']}_restored_{secrets.token_hex(4)}"
    quoted = connection.ops.quote_name(name)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield name
    finally:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def connection_options(settings_dict: dict) -> list[str]:
    return [
        *(["--host", settings_dict["HOST"]] if settings_dict["HOST"] else []),
        *(["--port", str(settings_dict["PORT"])] if settings_dict["PORT"] else []),
        *(["--username", settings_dict["USER"]] if settings_dict["USER"] else []),
    ]


COUNTED = ["accounts_user", "cases_survivor", "cases_case", "cases_historicalsurvivor", "django_migrations"]


def counts(cursor) -> dict[str, int]:
    found = {}
    for table in COUNTED:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (the tables above)
        found[table] = cursor.fetchone()[0]
    return found


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_an_empty_database(tmp_path, settings, scratch_database):
    team = make_team("Team A")
    make_case(team=team, legal_name="Rowena Quillfeather")
    make_case(team=team, legal_name="Second Person")
    settings.BLOOM_BACKUP_DIR = tmp_path / "backups"
    call_command("backup", stdout=StringIO())
    (backup,) = settings.BLOOM_BACKUP_DIR.iterdir()
    source = connection.settings_dict
    with connection.cursor() as cursor:
        before = counts(cursor)

    # As the README says: pg_restore into an empty database, with the pg_restore beside pg_dump.
    restore = [
        str(Path(backups.pg_dump_program()).with_name("pg_restore")),
        "--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password",
        *connection_options(source), "--dbname", scratch_database, str(backup),
    ]  # fmt: skip
    env = {**os.environ, **({"PGPASSWORD": source["PASSWORD"]} if source["PASSWORD"] else {})}
    restored = subprocess.run(restore, env=env, capture_output=True, text=True, check=False)

    assert (restored.returncode, restored.stderr) == (0, "")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.BLOOM_BACKUP_DIR.stat().st_mode) == 0o700
    assert before["cases_case"] == Case.objects.count() == 2
    reader = psycopg2.connect(
        dbname=scratch_database,
        user=source["USER"] or None,
        password=source["PASSWORD"] or None,
        host=source["HOST"] or None,
        port=source["PORT"] or None,
    )
    try:
        with reader.cursor() as cursor:
            after = counts(cursor)
            cursor.execute(
                f"SELECT legal_name FROM {Survivor._meta.db_table} ORDER BY legal_name"  # noqa: S608 (a model's table)
            )
            legal_names = [row[0] for row in cursor.fetchall()]
    finally:
        reader.close()
    assert after == before
    assert legal_names == ["Rowena Quillfeather", "Second Person"]
