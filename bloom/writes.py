"""What every service shares: changing a row's fields and saving it with its history author and reason.

In the platform so that modules that may not import ``cases`` (outreach, training) write
history the same way ``cases.services`` does.
"""


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
    instance._change_reason = reason
    instance.save(update_fields=fields)
