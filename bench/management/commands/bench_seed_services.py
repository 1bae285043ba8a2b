import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import scale


class Command(BaseCommand):
    help = "Tick services on the benchmark's reached contacts not done yet (make bench runs this after each growth)."

    def handle(self, *args, **options):
        # bench.settings are production settings: made-up data goes only into the benchmark's own database.
        name = connection.settings_dict["NAME"]
        if not name.startswith("bloom_bench"):
            raise CommandError(f"Refusing to add made-up services to {name!r}; the benchmark database is bloom_bench.")
        started = time.monotonic()
        ticked = scale.tick_services()
        self.stdout.write(
            f"Ticked {ticked.events} services on {ticked.contacts} contacts ({ticked.interpreted} with an interpreter)"
            f" in {time.monotonic() - started:.1f} s."
        )
