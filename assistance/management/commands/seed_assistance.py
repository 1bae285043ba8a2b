import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from assistance import demo


class Command(BaseCommand):
    help = "Grow the demo's assistance requests (and their payments) to a total, in bulk (scale data)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--requests",
            type=int,
            required=True,
            help="Grow the requests to this many in all, over the existing cases and the demo's funds. PostgreSQL.",
        )

    def handle(self, *args, requests, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        if requests < 0:
            raise CommandError("--requests must be zero or more.")
        if connection.vendor != "postgresql":
            raise CommandError("--requests needs PostgreSQL (the rows are loaded with COPY).")
        started = time.monotonic()
        try:
            count = demo.seed_scale_requests(requests)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Added {count} assistance requests in {time.monotonic() - started:.1f} s.")
