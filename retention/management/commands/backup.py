import shlex

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from retention import backups


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database with pg_dump into BLOOM_BACKUP_DIR, then delete the backups made "
        "there the retention policy's backup days or more ago. Run it once a day. On the SQLite demo it "
        "says what to do instead and exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check pg_dump and the database, and say what would be backed up and deleted; change nothing.",
        )

    def handle(self, *args, dry_run, **options):
        try:
            outcome = backups.back_up(now=timezone.now(), dry_run=dry_run)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if outcome.backup:
            self.stdout.write(
                _("Backed up the database %(database)s to %(path)s (%(size)s bytes).")
                % {"database": outcome.database, "path": outcome.backup, "size": f"{outcome.size:,}"}
            )
        else:
            self.stdout.write(
                _("Dry run: would back up the database %(database)s into %(folder)s with: %(command)s")
                % {"database": outcome.database, "folder": outcome.folder, "command": shlex.join(outcome.command)}
            )
        self.stdout.write(
            ngettext(
                "Backups are kept %(days)s day (the retention policy).",
                "Backups are kept %(days)s days (the retention policy).",
                outcome.keep_days,
            )
            % {"days": outcome.keep_days}
        )
        values = {"day": outcome.last_day_deleted.isoformat(), "count": len(outcome.deleted)}
        if not outcome.deleted:
            self.stdout.write(_("No backup made on %(day)s or before to delete.") % values)
        elif dry_run:
            self.stdout.write(
                ngettext(
                    "Would delete %(count)s backup made on %(day)s or before:",
                    "Would delete %(count)s backups made on %(day)s or before:",
                    len(outcome.deleted),
                )
                % values
            )
        else:
            self.stdout.write(
                ngettext(
                    "Deleted %(count)s backup made on %(day)s or before:",
                    "Deleted %(count)s backups made on %(day)s or before:",
                    len(outcome.deleted),
                )
                % values
            )
        for path in outcome.deleted:
            self.stdout.write(f"  {path.name}")
