import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench import measure


class Command(BaseCommand):
    help = "Measure the benchmark database (make bench runs this under bench.settings)."

    def add_arguments(self, parser):
        parser.add_argument("step", choices=["probe", "personas", "face-sheets", "training", "funders", "dataset"])
        parser.add_argument("--out", type=Path, required=True, help="Write the result here, as JSON.")
        parser.add_argument(
            "--runs", type=int, default=20, help="Runs after the first (face sheets, training, funders)."
        )

    def handle(self, *args, step, out, runs, **options):
        result = {
            "probe": measure.probe,
            "personas": measure.personas,
            "face-sheets": lambda: measure.face_sheets(runs=runs),
            "training": lambda: measure.training(runs=runs),
            "funders": lambda: measure.funder_reports(runs=runs),
            "dataset": measure.dataset,
        }[step]()
        out.write_text(json.dumps(result, indent=1, default=str))
