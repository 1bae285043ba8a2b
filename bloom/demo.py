"""Demo steps for program modules that do not hang off a case (outreach, training).

``cases.demo.seed_program`` builds the demo program (towns, teams, one user per role,
survivors) and then calls each step registered here once, with the program's random
generator and today's date. A module registers its step in its ``AppConfig.ready``.
"""

import random
from collections.abc import Callable
from datetime import date

PROGRAM_STEPS: list[Callable[[random.Random, date], None]] = []


def register_program_step(step: Callable[[random.Random, date], None]) -> None:
    """Add ``step(rng, today)`` to what the demo does once the program is built."""
    if step not in PROGRAM_STEPS:
        PROGRAM_STEPS.append(step)


def run_program_steps(rng: random.Random, today: date) -> None:
    for step in PROGRAM_STEPS:
        step(rng, today)
