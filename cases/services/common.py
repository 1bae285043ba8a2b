"""What every service shares: writing a row with its history author and reason."""

from bloom.accounts.models import User
from bloom.said import Said
from bloom.writes import apply_changes, fitted, save

__all__ = ["Said", "apply_changes", "delete", "save"]


def delete(instance, *, by: User | None, reason: str | Said) -> None:
    """Delete ``instance``, leaving a history row by ``by`` with ``reason``."""
    instance._history_user = by
    instance._change_reason = fitted(reason)
    instance.delete()
