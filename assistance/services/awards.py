"""The awards a case is served under: added and removed by those who may change the case.

A funder's report can count only the cases served under its award; which awards those are
is a decision about the case, so it is made by the people who work it, and kept in history.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assistance.models import CaseAward, Fund
from assistance.services.common import AssistanceError
from bloom.accounts.models import User
from bloom.said import Said
from cases import permissions
from cases.models import Case
from cases.services.common import delete as _delete
from cases.services.common import save as _save


def _check_may_change(by: User, case: Case) -> None:
    if not permissions.can(by, permissions.CHANGE, case):
        raise PermissionDenied


@transaction.atomic
def add_case_award(case: Case, *, by: User, fund: Fund) -> CaseAward:
    """Record that ``case`` is served under ``fund``'s award.

    Refused with ``PermissionDenied`` unless ``by`` may change the case, and with
    ``AssistanceError`` (on ``fund``) when the case is already served under that award.
    Side effect: a history row for the award on the case, by ``by``.
    """
    _check_may_change(by, case)
    award = CaseAward(case=case, fund=fund, added_by=by)
    try:
        # The unique constraint decides, so two people adding the same award at once make one row.
        with transaction.atomic():
            _save(award, by=by, reason=Said("award.case_added"))
    except IntegrityError:
        raise AssistanceError({"fund": _("This case is already served under %(award)s.") % {"award": fund}}) from None
    return award


@transaction.atomic
def remove_case_award(award: CaseAward, *, by: User) -> None:
    """Record that the case of ``award`` is no longer served under it.

    Refused with ``PermissionDenied`` unless ``by`` may change the case; an award already
    removed (a second click, another person first) is left as it is. Side effect: the history
    keeps the award on the case, with who removed it.
    """
    _check_may_change(by, award.case)
    award = CaseAward.objects.select_for_update().filter(pk=award.pk).first()
    if award is not None:
        _delete(award, by=by, reason=Said("award.case_removed"))
