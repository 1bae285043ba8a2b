"""Help given in kind: food, clothing, hygiene kits, bus passes and the like, with an estimated value."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance import access
from assistance.models import LARGEST_ITEM_VALUE, MOST_ITEMS, InKindItem
from assistance.services.common import AssistanceError, check_served, day, max_length, money_problem, too_long
from bloom.accounts.models import User
from bloom.said import Said
from cases import permissions
from cases.models import Case
from cases.services.common import delete as _delete
from cases.services.common import save as _save


@dataclass(frozen=True)
class ItemDetails:
    kind: str
    description: str
    quantity: int
    value: Decimal
    given_on: date


@transaction.atomic
def give(case: Case, *, by: User, details: ItemDetails) -> InKindItem:
    """Record help given in kind to the survivor of ``case``.

    Refused with ``AssistanceError`` (by field) for an unknown kind, a quantity below one or
    above ``MOST_ITEMS``, a value that is not money or above ``LARGEST_ITEM_VALUE``, a date in
    the future or before the case was opened; and for a case that is not being served.
    """
    case = Case.objects.get(pk=case.pk)  # as it is now, not as loaded
    if not access.may_give(by, permissions.case_perms(by, case)):
        raise PermissionDenied
    check_served(case)
    errors = {}
    if details.kind not in InKindItem.Kind.values:
        errors["kind"] = _("Choose what was given.")
    if not isinstance(details.quantity, int) or not 1 <= details.quantity <= MOST_ITEMS:
        errors["quantity"] = _("Enter how many, from 1 to %(most)s.") % {"most": MOST_ITEMS}
    errors |= too_long({"description": max_length(InKindItem, "description")}, description=details.description)
    if problem := money_problem(details.value, largest=LARGEST_ITEM_VALUE, zero_allowed=True):
        errors["value"] = problem
    if details.given_on > timezone.localdate():
        errors["given_on"] = _("The date cannot be in the future.")
    elif details.given_on < case.opened_on:
        errors["given_on"] = _("The case was opened on %(day)s; the date cannot be earlier.") % {
            "day": day(case.opened_on)
        }
    if errors:
        raise AssistanceError(errors)
    item = InKindItem(
        case=case,
        kind=details.kind,
        description=details.description.strip(),
        quantity=details.quantity,
        value=details.value,
        given_on=details.given_on,
        given_by=by,
    )
    _save(item, by=by, reason=Said("help.recorded"))
    return item


@transaction.atomic
def remove(item: InKindItem, *, by: User, reason: str) -> None:
    """Take back an item recorded by mistake; the history keeps it, with who and why."""
    if not access.may_give(by, permissions.case_perms(by, item.case)):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise AssistanceError({"reason": _("Write why this is being removed.")})
    _delete(item, by=by, reason=Said("help.removed", why=reason))
