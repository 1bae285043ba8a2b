import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *args, survivors, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        if survivors < 0:
            raise CommandError("--survivors must be zero or more.")
        if demo.seed_program():
            self.stdout.write("Created the demo program.")
        else:
            self.stdout.write("The demo program is already there.")
        if survivors:
            started = time.monotonic()
            count = demo.seed_scale(survivors=survivors)
            self.stdout.write(f"Added {count} survivors in {time.monotonic() - started:.1f} s.")
        self.stdout.write("\nDemo logins (every person here is made up):")
        for role, email, password in demo.demo_logins():
            self.stdout.write(f"  {role:<32} {email:<28} {password}")
