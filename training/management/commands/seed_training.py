import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training import demo


class Command(BaseCommand):
    help = "Grow the demo's training surveys to a total, in bulk, on new events (scale data)."

    def add_arguments(self, parser):
        parser.add_argument("--surveys", type=int, required=True, help="Grow the surveys answered to this many in all.")

    def handle(self, *args, surveys, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        if surveys < 0:
            raise CommandError("--surveys must be zero or more.")
        started = time.monotonic()
        try:
            count = demo.seed_scale_surveys(surveys)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Added {count} training surveys in {time.monotonic() - started:.1f} s.")
