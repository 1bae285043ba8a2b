"""What every service shares: changing a row's fields and saving it with its history author and reason.

In the platform so that modules that may not import ``cases`` (outreach, training) write
history the same way ``cases.services`` does. A reason Bloom writes is a ``Said`` code, put into
words in the reader's language when shown (``bloom.said``); a plain string is a person's own
words, stored as typed.
"""

from bloom.said import LONGEST_REASON, Said

__all__ = ["LONGEST_REASON", "Said", "apply_changes", "fitted", "save"]


def fitted(reason: "str | Said") -> str:
    """``reason`` as stored in the history's column: a code fitted to it, or a person's words cut to it."""
    if isinstance(reason, Said):
        return reason.stored(LONGEST_REASON)
    return reason if len(reason) <= LONGEST_REASON else reason[: LONGEST_REASON - 1] + "\u2026"


def apply_changes(instance, values: dict) -> list[str]:
    """Set ``values`` on ``instance``; return the names of the fields that really changed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def save(instance, *, by, reason: "str | Said", fields: list[str] | None = None) -> None:
    """Save ``instance`` (only ``fields`` if given) leaving a history row by ``by`` with ``reason``."""
    # Set the author explicitly so history is right outside a request too (tasks, commands).
    instance._history_user = by
    instance._change_reason = fitted(reason)
    instance.save(update_fields=fields)
