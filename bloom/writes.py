"""What every service shares: changing a row's fields and saving it with its history author and reason.

In the platform so that modules that may not import ``cases`` (outreach, training) write
history the same way ``cases.services`` does.
"""

# django-simple-history's column for the reason holds this many characters.
LONGEST_REASON = 100


def fitted(reason: str) -> str:
    """``reason`` cut to fit the history's column: a reason that lists every field changed can be longer."""
    return reason if len(reason) <= LONGEST_REASON else reason[: LONGEST_REASON - 1] + "\u2026"


def apply_changes(instance, values: dict) -> list[str]:
    """Set ``values`` on ``instance``; return the names of the fields that really changed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def save(instance, *, by, reason: str, fields: list[str] | None = None) -> None:
    """Save ``instance`` (only ``fields`` if given) leaving a history row by ``by`` with ``reason``."""
    # Set the author explicitly so history is right outside a request too (tasks, commands).
    instance._history_user = by
    instance._change_reason = fitted(reason)
    instance.save(update_fields=fields)
