"""Time that passed between two instants, and calendar months counted forward or back.

Python subtracts and compares two datetimes that share a ``tzinfo`` by their wall-clock
readings, ignoring the offset: on the night the clocks go forward, 1:00 to 4:00 reads as three
hours though two passed. Durations and order of the instants people enter go through here.
"""

import calendar
from datetime import UTC, date, datetime, timedelta


def elapsed(starts: datetime, ends: datetime) -> timedelta:
    """How much time passed from ``starts`` to ``ends`` (negative when ``ends`` came first).
    Both are aware: a naive datetime is a reading on an unknown clock."""
    if starts.utcoffset() is None or ends.utcoffset() is None:
        raise ValueError("elapsed() needs aware datetimes")
    return ends.astimezone(UTC) - starts.astimezone(UTC)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier when negative), or that month's last day when it is
    shorter: 31 May plus one month is 30 June, 31 May less three is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
