import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cases import demo


class Command(BaseCommand):
    help = "Create the demo program (towns, teams, one user per role, about 40 survivors) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--survivors",
            type=int,
            default=0,
            help="Also add this many made-up survivors with a case each, in bulk (scale data).",
        )
        parser.add_argument(
            "--specialists",
            type=int,
            default=0,
            help="Grow the program to this many specialists, spread evenly over the teams (before --survivors).",
        )
        parser.add_argument(
            "--teams",
            type=int,
            default=0,
            help="Grow the program to this many teams, each with its own supervisor (before --survivors).",
        )
        parser.add_argument(
            "--access-log",
            type=int,
            default=0,
            help="Also add this many made-up access-log entries (case views) over the existing cases. PostgreSQL.",
        )

    def handle(self, *args, survivors, specialists, teams, access_log, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        if min(survivors, specialists, teams, access_log) < 0:
            raise CommandError("--survivors, --specialists, --teams and --access-log must be zero or more.")
        if access_log and connection.vendor != "postgresql":
            raise CommandError("--access-log needs PostgreSQL (the rows are loaded with COPY).")
        if demo.seed_program():
            self.stdout.write("Created the demo program.")
        else:
            self.stdout.write("The demo program is already there.")
        if specialists or teams:
            started = time.monotonic()
            added = demo.seed_staff(specialists=specialists, teams=teams)
            self.stdout.write(
                f"Added {added.teams} teams, {added.supervisors} supervisors and {added.specialists} specialists"
                f" in {time.monotonic() - started:.1f} s."
            )
        if survivors:
            started = time.monotonic()
            count = demo.seed_scale(survivors=survivors)
            self.stdout.write(f"Added {count} survivors in {time.monotonic() - started:.1f} s.")
        if access_log:
            started = time.monotonic()
            count = demo.seed_access_log(entries=access_log)
            self.stdout.write(f"Added {count} access-log entries in {time.monotonic() - started:.1f} s.")
        self.stdout.write("\nDemo logins (every person here is made up):")
        for role, email, password in demo.demo_logins():
            self.stdout.write(f"  {role:<32} {email:<28} {password}")
