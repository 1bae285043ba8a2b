"""Backups of the PostgreSQL database, deleted once the retention policy no longer keeps them.

``manage.py backup`` runs pg_dump (custom format) into ``BLOOM_BACKUP_DIR``, then deletes the
backups it made on a day ``RetentionPolicy.backup_days`` or more before today, so that what a
purge removed survives in backups at most that many days. A backup's name holds the moment it
was taken, in UTC (``bloom-20261118T153000Z.dump``), and the name, not the file's modification
time, says how old it is: copying or restoring a folder changes its files' times, never their
contents. Files of any other name in the folder are never touched.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone
from django.utils.translation import gettext as _

from retention.models import RetentionPolicy

STAMP = "%Y%m%dT%H%M%SZ"
BACKUP_NAME = re.compile(r"^bloom-(?P<taken>\d{8}T\d{6}Z)\.dump$")
# A dump being written. It becomes a backup, by renaming, only once pg_dump has finished well.
PARTIAL_NAME = re.compile(r"^\.bloom-(?P<taken>\d{8}T\d{6}Z)\.dump\.partial$")
VERSION = re.compile(r"\(PostgreSQL\)\s+(?P<major>\d+)")


class BackupError(Exception):
    """A backup that cannot be made, and what to do about it, for the person running the command."""


@dataclass(frozen=True)
class Outcome:
    """What a run did, or on a dry run would do."""

    database: str
    folder: Path
    command: list[str]
    backup: Path | None  # None on a dry run
    size: int
    keep_days: int
    last_day_deleted: date  # backups made on this day or before are deleted
    deleted: list[Path]


def back_up(*, now: datetime, dry_run: bool = False) -> Outcome:
    """Back up the database into ``BLOOM_BACKUP_DIR``, then delete the backups the policy no longer keeps.

    Refuses (``BackupError``) on anything but PostgreSQL, and when pg_dump is older than the
    server. A failed dump deletes nothing: old backups are not given up for one that was not made.
    A dry run checks the same and makes and deletes nothing.
    """
    if reason := refusal():
        raise BackupError(reason)
    program = pg_dump_program()
    check_versions(program=program, client=client_major(program), server=server_major())
    keep_days = backup_days()
    folder = Path(settings.BLOOM_BACKUP_DIR)
    command, _env = dump_command(program, connection.settings_dict)
    backup = None
    if not dry_run:
        backup = make_backup(folder, now=now, program=program, settings_dict=connection.settings_dict)
    due = expired(folder, now=now, keep_days=keep_days)
    return Outcome(
        database=connection.settings_dict["NAME"],
        folder=folder,
        command=command,
        backup=backup,
        size=backup.stat().st_size if backup else 0,
        keep_days=keep_days,
        last_day_deleted=last_day_deleted(now=now, keep_days=keep_days),
        deleted=due if dry_run else delete(due),
    )


def refusal(db_connection=connection) -> str | None:
    """Why this database cannot be backed up by the command, or None when it can (PostgreSQL)."""
    if db_connection.vendor == "postgresql":
        return None
    if db_connection.vendor == "sqlite":
        return _(
            "This is the SQLite demo database (%(file)s). `manage.py backup` makes PostgreSQL backups only, "
            "so it made none. To keep a copy of the demo, stop Bloom (Ctrl-C where `make run` runs) and copy "
            "the database file and the private files in %(private)s; with the defaults both are in the var/ folder."
        ) % {"file": db_connection.settings_dict["NAME"], "private": settings.PRIVATE_ROOT}
    return _("`manage.py backup` makes PostgreSQL backups only, and this database is %(vendor)s.") % {
        "vendor": db_connection.vendor
    }


def pg_dump_program() -> str:
    """The pg_dump to run: ``BLOOM_PG_DUMP``, or the first on PATH."""
    configured = settings.BLOOM_PG_DUMP
    program = shutil.which(configured or "pg_dump")
    if program:
        return program
    if configured:
        message = _("BLOOM_PG_DUMP is %(program)s, which is not a program that can be run.")
        raise BackupError(message % {"program": configured})
    raise BackupError(
        _(
            "pg_dump was not found. Install the PostgreSQL client tools of the server's version "
            "(postgresql-client-16 for the server docker-compose.yml runs) or set BLOOM_PG_DUMP to the pg_dump to use."
        )
    )


def client_major(program: str) -> int:
    """The major version of the pg_dump at ``program``, from what ``--version`` prints."""
    try:
        result = subprocess.run(  # noqa: S603 (the configured pg_dump, with a fixed argument)
            [program, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(_("%(program)s could not be run: %(error)s") % {"program": program, "error": exc}) from exc
    match = VERSION.search(result.stdout)
    if result.returncode != 0 or not match:
        raise BackupError(
            _("%(program)s --version did not say which PostgreSQL version it belongs to (it said %(said)s).")
            % {"program": program, "said": (result.stdout + result.stderr).strip() or _("nothing")}
        )
    return int(match["major"])


def server_major(db_connection=connection) -> int:
    """The major version of the PostgreSQL server the database is on (150020 is 15)."""
    try:
        return db_connection.pg_version // 10000
    except DatabaseError as exc:
        raise BackupError(_("The database could not be reached: %(error)s") % {"error": exc}) from exc


def check_versions(*, program: str, client: int, server: int) -> None:
    """Refuse a pg_dump older than the server: it cannot read a newer server's catalogue faithfully."""
    if client < server:
        raise BackupError(
            _(
                "%(program)s is pg_dump %(client)s, older than the PostgreSQL %(server)s server it would back up, "
                "so no backup was made. Install the PostgreSQL %(server)s client tools (postgresql-client-%(server)s) "
                "or set BLOOM_PG_DUMP to a pg_dump of version %(server)s or later."
            )
            % {"program": program, "client": client, "server": server}
        )


def backup_days() -> int:
    """How many days the policy keeps backups. Read without writing: a dry run changes nothing,
    and with no policy saved yet the model's default is the policy."""
    try:
        policy = RetentionPolicy.objects.filter(pk=1).first() or RetentionPolicy()
    except DatabaseError as exc:
        raise BackupError(
            _("The retention policy could not be read (has `manage.py migrate` run?): %(error)s") % {"error": exc}
        ) from exc
    return policy.backup_days


def dump_command(program: str, settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """pg_dump's arguments and environment for the database in ``settings_dict``.

    The password travels in ``PGPASSWORD`` (or the passfile the settings name), never on the
    command line, where anyone on the machine can read it. ``--no-password`` makes a missing
    one fail at once instead of waiting for someone to type it.
    """
    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, ["--format=custom", "--no-password"])
    return [program, *args[1:]], {**os.environ, **(env or {})}


def make_backup(folder: Path, *, now: datetime, program: str, settings_dict: dict) -> Path:
    """Dump the database into ``folder`` as ``bloom-<UTC moment>.dump``, readable by its owner alone.

    pg_dump writes into a hidden partial file, renamed only once it has finished well, so a
    failed or interrupted dump is never taken for a backup; a failure removes the partial file.
    """
    prepare(folder)
    stamp = now.astimezone(UTC).strftime(STAMP)
    backup = folder / f"bloom-{stamp}.dump"
    partial = folder / f".bloom-{stamp}.dump.partial"
    if backup.exists():
        raise BackupError(_("%(path)s already exists: a backup was made this very second.") % {"path": backup})
    args, env = dump_command(program, settings_dict)
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise BackupError(_("Another backup is being written to %(path)s.") % {"path": partial}) from exc
    finished = False
    try:
        with os.fdopen(descriptor, "wb") as out:
            try:
                result = subprocess.run(args, stdout=out, stderr=subprocess.PIPE, env=env, check=False)  # noqa: S603 (the configured pg_dump, arguments from the settings)
            except OSError as exc:
                raise BackupError(
                    _("%(program)s could not be run: %(error)s") % {"program": program, "error": exc}
                ) from exc
            if result.returncode != 0:
                said = result.stderr.decode(errors="replace").strip().splitlines()[-5:]
                raise BackupError(
                    _("pg_dump failed (exit status %(status)s), so no backup was made and none was deleted: %(said)s")
                    % {"status": result.returncode, "said": " ".join(said) or _("it gave no reason")}
                )
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, backup)
        finished = True
    finally:
        if not finished:
            partial.unlink(missing_ok=True)
    _sync_folder(folder)
    return backup


def prepare(folder: Path) -> None:
    """Make the folder if it is missing and keep it to its owner (0700): the dumps hold everything."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    except OSError as exc:
        message = _(
            "The backup folder %(folder)s cannot be made or kept private (%(error)s). "
            "Set BLOOM_BACKUP_DIR to a folder this user owns."
        )
        raise BackupError(message % {"folder": folder, "error": exc}) from exc


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, so that after a crash the backup is there under its name."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def taken_at(path: Path) -> datetime | None:
    """When the backup (or partial dump) at ``path`` was taken, from its name; None for a file
    this command did not make."""
    match = BACKUP_NAME.match(path.name) or PARTIAL_NAME.match(path.name)
    if not match:
        return None
    try:
        return datetime.strptime(match["taken"], STAMP).replace(tzinfo=UTC)
    except ValueError:  # the right shape but no real moment (a 13th month): not ours
        return None


def last_day_deleted(*, now: datetime, keep_days: int) -> date:
    """The last day (the program's calendar) whose backups are no longer kept at ``now``."""
    return timezone.localdate(now) - timedelta(days=keep_days)


def expired(folder: Path, *, now: datetime, keep_days: int) -> list[Path]:
    """The files this command made in ``folder`` on a day ``keep_days`` or more before ``now``'s, oldest first.

    Days, not periods of 24 hours: run once a day, a backup goes on the day its time is up,
    whichever minute that run and the one that made it started. Partial files left by an
    interrupted run hold the same data and go by the same rule; one being written is today's.
    """
    if not folder.is_dir():
        return []
    last_day = last_day_deleted(now=now, keep_days=keep_days)
    found = []
    for path in folder.iterdir():
        taken = taken_at(path)
        if taken is not None and path.is_file() and timezone.localdate(taken) <= last_day:
            found.append((taken, path))
    return [path for _taken, path in sorted(found)]


def delete(paths: list[Path]) -> list[Path]:
    """Delete ``paths``; the ones that were there to delete."""
    deleted = []
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:  # another run deleted it first
            continue
        except OSError as exc:
            raise BackupError(_("%(path)s could not be deleted: %(error)s") % {"path": path, "error": exc}) from exc
        deleted.append(path)
    return deleted
