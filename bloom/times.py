"""Time that passed between two instants.

Python subtracts and compares two datetimes that share a ``tzinfo`` by their wall-clock
readings, ignoring the offset: on the night the clocks go forward, 1:00 to 4:00 reads as three
hours though two passed. Durations and order of the instants people enter go through here.
"""

from datetime import UTC, datetime, timedelta


def elapsed(starts: datetime, ends: datetime) -> timedelta:
    """How much time passed from ``starts`` to ``ends`` (negative when ``ends`` came first).
    Both are aware: a naive datetime is a reading on an unknown clock."""
    if starts.utcoffset() is None or ends.utcoffset() is None:
        raise ValueError("elapsed() needs aware datetimes")
    return ends.astimezone(UTC) - starts.astimezone(UTC)
