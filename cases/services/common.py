"""What every service shares: writing a row with its history author and reason."""

from bloom.accounts.models import User


def apply_changes(instance, values: dict) -> list[str]:
    """Set ``values`` on ``instance``; return the names of the fields that really changed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def save(instance, *, by: User | None, reason: str, fields: list[str] | None = None) -> None:
    """Save ``instance`` (only ``fields`` if given) leaving a history row by ``by`` with ``reason``."""
    # Set the author explicitly so history is right outside a request too (tasks, commands).
    instance._history_user = by
    instance._change_reason = reason
    instance.save(update_fields=fields)


def delete(instance, *, by: User | None, reason: str) -> None:
    """Delete ``instance``, leaving a history row by ``by`` with ``reason``."""
    instance._history_user = by
    instance._change_reason = reason
    instance.delete()
