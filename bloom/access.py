"""The access checks every app shares: who counts as signed in, what a role holds, and the 404.

Each app's own rules (``cases.permissions``, ``training.access``, ...) are built from these,
so "a superuser sees no survivor" and "a bad id is a missing record" are written once.
Imports no program module.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

# What a lookup raises for an id that cannot be one (a word, a number too large for the
# column, a malformed UUID): the same answer as a missing record.
BAD_ID = (ValueError, TypeError, OverflowError, ValidationError)


def active(user) -> bool:
    """Whether ``user`` is signed in, active and not a superuser.

    A superuser account exists to set the system up; being one grants no sight of survivors
    or of any program's records. People see through their roles and assignments only.
    """
    return bool(user and user.is_authenticated and user.is_active and not user.is_superuser)


def holds(user, perm: str) -> bool:
    """Whether ``user`` is active and their role (or own grants) holds ``perm`` (``"app.codename"``)."""
    return active(user) and user.has_perm(perm)


def require(allowed: bool) -> None:
    """Raise ``PermissionDenied`` (403) unless ``allowed``: for a record already in sight."""
    if not allowed:
        raise PermissionDenied


def get_or_404[M: Model](queryset: QuerySet[M], **lookup) -> M:
    """The one row of ``queryset`` matching ``lookup``, else ``Http404``.

    ``queryset`` must already be scoped to what the reader may see, so a record out of sight,
    a missing one and an id that cannot be one all answer the same 404.
    """
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, *BAD_ID):
        raise Http404 from None
