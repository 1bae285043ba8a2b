"""Who may set the retention policy, run the purge, hold a case and delete a survivor's record.

Built on ``cases.permissions`` (the choke point for survivor records): a hold or a deletion
names a case, and the person must reach that case there first. A restricted case is held
only by the people named on it, because only they reach it.
"""

from django.db.models import QuerySet

from bloom.access import holds
from bloom.accounts.models import User
from bloom.accounts.queries import holders
from cases import permissions
from cases.models import Case

MANAGE = "retention.manage_retention"
HOLD = "retention.place_hold"
DELETE = "retention.delete_survivor_record"


def may_manage_retention(user: User) -> bool:
    """Whether ``user`` may set the retention policy, preview the purge, run it and read its log."""
    return holds(user, MANAGE)


def may_delete_records(user: User) -> bool:
    """Whether ``user``'s role may ask for, or confirm, the deletion of a survivor's record."""
    return holds(user, DELETE)


def _perms(user: User, case: Case, perms: frozenset[str] | None) -> frozenset[str]:
    return perms if perms is not None else permissions.case_perms(user, case)


def can_hold(user: User, case: Case, perms: frozenset[str] | None = None) -> bool:
    """Whether ``user`` may place a hold on ``case``, or lift one.

    The role's capability, and the right to decide on the case through ``cases.permissions``:
    change it through one's role or assignment, never through emergency access (a hold
    outlives the crisis). On a restricted case only the people it names hold that right.
    ``perms``: ``user``'s ``case_perms`` on the case, when the page has them already.
    """
    return holds(user, HOLD) and permissions.DECIDE in _perms(user, case, perms)


def can_delete_record(user: User, case: Case, perms: frozenset[str] | None = None) -> bool:
    """Whether ``user`` may ask for, or confirm, deleting the record of ``case``'s survivor:
    the role's capability, and sight of the case."""
    return may_delete_records(user) and permissions.VIEW in _perms(user, case, perms)


def record_deleters() -> QuerySet[User]:
    """Active people (never a superuser account) whose role or own grants let them delete records."""
    return holders(DELETE).order_by("pk")
