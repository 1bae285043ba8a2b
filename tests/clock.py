"""One pinned clock for the whole run, and the instants CI also runs the date-dependent tests at.

Every test sees the same instant (``DEFAULT_AT`` unless ``--at`` moves it): ``timezone.now()``,
``date.today()`` and ``time.time()`` all answer it, and it does not move while the run lasts.
A test with a browser or a worker, whose pages and jobs need time to pass, gets a clock that
starts at that instant and runs (the ``ticking_clock`` fixture). Processes a test starts (the worker, the
embedded demo) get the same instant through ``BLOOM_TEST_AT`` and ``BLOOM_TEST_AT_SINCE``:
``subprocess_command`` wraps their command in ``tests.pinned``, which sets the clock before the
command runs.

Naive instants are local time in ``BLOOM_TIME_ZONE`` (America/New_York unless set).
"""

import os
import re
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from time_machine import escape_hatch

# A Wednesday morning in the middle of a month and of a quarter, after every fixed date the
# tests name as past: nothing about it is special.
DEFAULT_AT = "2026-11-18T10:30:00"

# The instants at which `make test` runs the tests marked `clock` again, and why each is hard.
AWKWARD_INSTANTS = {
    # Late evening locally is already tomorrow in UTC: a date taken from UTC is a day ahead.
    "2026-11-18T23:50:00": "23:50 local time, after midnight UTC",
    # Clocks went from 2:00 to 3:00 an hour ago: today has 23 hours, 2:30 never happened.
    "2027-03-14T03:30:00": "the night of the spring clock change",
    # A year back or ahead from today is not a day: replace(year=...) raises.
    "2028-02-29T12:00:00": "29 February of a leap year",
}

ENV_AT = "BLOOM_TEST_AT"
ENV_SINCE = "BLOOM_TEST_AT_SINCE"


def parse_instant(text: str, time_zone: str | None = None) -> datetime:
    """An aware datetime from ISO text; a naive one is taken as local time."""
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=ZoneInfo(time_zone or settings.TIME_ZONE))
    return instant


def real_time() -> float:
    """The machine's own clock, whatever the tests have pinned."""
    return escape_hatch.time.time()


def subprocess_env(env: dict | None = None, *, running: bool) -> dict:
    """``env`` (default: this process's) with the instant a started process begins at: this
    process's now. ``running``: this process's clock runs, so the other keeps pace with it."""
    env = {**(env or os.environ), ENV_AT: timezone.now().isoformat()}
    if running:
        env[ENV_SINCE] = repr(real_time())
    return env


def subprocess_command(*command: str) -> list[str]:
    """``command`` run by this Python under the pinned clock: ``("-m", "celery", ...)`` or a script."""
    return [sys.executable, "-m", "tests.pinned", *command]


# How a test module says it is marked: `make test` collects only those modules for the runs at the
# awkward instants, and the whole run refuses a `clock` test in a module this does not find.
CLOCK_MARK = re.compile(r"\bpytest\.mark\.clock\b")


def clock_modules(root: Path = Path(__file__).parent) -> list[str]:
    """The test modules under ``root`` that mark a test ``clock``, as paths from the project root."""
    found = (path for path in sorted(root.rglob("test_*.py")) if CLOCK_MARK.search(path.read_text()))
    return [str(path.relative_to(root.parent)) for path in found]


if __name__ == "__main__":
    # `make test` reads the instants from here (python -m tests.clock), and the modules to run at
    # each (python -m tests.clock --modules).
    chosen = clock_modules() if sys.argv[1:] == ["--modules"] else AWKWARD_INSTANTS
    sys.stdout.write(" ".join(chosen) + "\n")
