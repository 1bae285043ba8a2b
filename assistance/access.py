"""Who may see and act on assistance: the only way views, tasks and exports reach these rows.

Built on ``cases.permissions`` (the choke point for survivor records), adding one rule of
its own: the roles that hold ``view_all_requests`` (finance, the program director) see
every request's client code, amount and payee program-wide, because they pay them, and
nothing else of the case. Everything else (help in kind, housing, a case's requests as a
list) is reached through a case from ``permissions.get_case_for``.

A request on a survivor kept out of sight by a restriction shows its money and payee to
those who pay it, but not its client code: ``code_hidden`` on the rows these querysets give.
"""

from datetime import date

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet, Value

from assistance.models import AssistanceRequest
from bloom.access import active, get_or_404, holds
from bloom.accounts.models import User
from bloom.accounts.queries import holders
from cases import permissions
from cases.models import Case

APPROVE = "assistance.approve_request"
APPROVE_LARGE = "assistance.approve_large_request"
SEE_ALL = "assistance.view_all_requests"
PAY = "assistance.record_payment"
SEE_FUNDS = "assistance.view_fund"
MANAGE_FUNDS = "assistance.change_fund"
ASK = "assistance.add_assistancerequest"
GIVE = "assistance.add_inkinditem"
HOUSE = "assistance.add_housingplacement"

# What a person may do to one request (``request_actions``).
ACT_APPROVE = "approve"
ACT_DENY = "deny"
ACT_CANCEL = "cancel"
ACT_EDIT = "edit"
ACT_PAY = "pay"
ACT_RECEIPT = "receipt"

Status = AssistanceRequest.Status


def second_approval_above():
    """Requests above this amount need a second approval, by finance or the program director."""
    return settings.BLOOM_SECOND_APPROVAL_ABOVE


def needs_second_approval(request: AssistanceRequest) -> bool:
    return request.amount > second_approval_above()


def may_use_queue(user: User) -> bool:
    return any(holds(user, perm) for perm in (SEE_ALL, APPROVE, APPROVE_LARGE, PAY))


def sees_all_requests(user: User) -> bool:
    """Whether ``user`` sees requests program-wide (those who pay them), not through their cases."""
    return holds(user, SEE_ALL)


def may_export(user: User) -> bool:
    return holds(user, SEE_ALL) and holds(user, SEE_FUNDS)


def visible_requests(user: User, *, codes: bool = True) -> QuerySet[AssistanceRequest]:
    """The requests ``user`` may see, each with ``code_hidden`` (its client code is not shown).

    Program-wide for the roles that pay them; otherwise the requests of the cases the user
    may see, whose client codes they may see too. With ``codes=False``, the same requests
    without ``code_hidden``, for counting them: for the roles that pay, it joins every request
    to its case.
    """
    if not active(user):
        return AssistanceRequest.objects.none()
    if user.has_perm(SEE_ALL):
        requests = AssistanceRequest.objects.all()
        hidden = permissions.restriction_hides(user, "case__survivor")
    else:
        requests = AssistanceRequest.objects.filter(case__in=permissions.visible_cases(user).values("pk"))
        hidden = Value(False)
    return requests.annotate(code_hidden=hidden) if codes else requests


def get_request_for(user: User, pk) -> AssistanceRequest:
    """The request ``pk`` if ``user`` may see it, else ``Http404`` (a missing one looks the same)."""
    requests = (
        visible_requests(user)
        .select_related("case__survivor", "case__team", "fund", "requested_by", "approved_by", "second_approved_by")
        .select_related("closed_by", "payment__paid_by", "payment__receipt")
    )
    return get_or_404(requests, pk=pk)


def to_approve(user: User) -> QuerySet[AssistanceRequest]:
    """Requests waiting for ``user``'s approval: never their own, never a second step after their first.

    The first approval is a supervisor's (or the program director's) on a case they may
    decide on, never through emergency access; the second, above the threshold, is finance's
    or the program director's. The same rule as ``request_actions``, as a queryset.
    """
    if not active(user):
        return AssistanceRequest.objects.none()
    waiting = AssistanceRequest.objects.none()
    if user.has_perm(APPROVE):
        cases = permissions.visible_cases(user, permissions.CHANGE, emergency=False).values("pk")
        waiting = AssistanceRequest.objects.filter(status=Status.WAITING, case__in=cases)
    if user.has_perm(APPROVE_LARGE):
        second = AssistanceRequest.objects.filter(status=Status.SECOND_APPROVAL).exclude(approved_by=user)
        waiting = waiting | second
    return waiting.exclude(requested_by=user)


def to_pay(user: User) -> QuerySet[AssistanceRequest]:
    """Approved requests ``user`` may pay: finance, never a request they made."""
    if not holds(user, PAY):
        return AssistanceRequest.objects.none()
    return AssistanceRequest.objects.filter(status=Status.APPROVED).exclude(requested_by=user)


def mark_turns(requests: list[AssistanceRequest], user: User) -> None:
    """Set ``my_turn`` on each of ``requests`` (a page of a list): whether ``user`` may approve or
    pay it, in one query.

    A query of its own, for the page's rows only: as a subquery of the list's query, PostgreSQL
    works out every request waiting for ``user`` before it keeps the page's.
    """
    if not requests:
        return
    sql, params = _turns_sql(user)
    mine = set()
    if sql:
        ids = [request.pk for request in requests]
        connection = connections[AssistanceRequest.objects.db]
        if connection.vendor == "postgresql":
            among, ids = "= ANY(%s)", [ids]
        else:
            among = f"IN ({', '.join(['%s'] * len(ids))})"  # SQLite (the demo) has no arrays
        with connection.cursor() as cursor:
            # Django's own SQL, with its values as parameters: nothing of the request is in it.
            cursor.execute(f"SELECT turn.pk FROM ({sql}) turn WHERE turn.pk {among}", (*params, *ids))  # noqa: S608
            mine = {pk for (pk,) in cursor.fetchall()}
    for request in requests:
        request.my_turn = request.pk in mine


# The SQL of ``mark_turns`` for each person as they are, compiled once per process, as
# ``bloom.reports.dashboards.waiting`` keeps the count of the same queues: building
# ``to_approve`` through the choke point and compiling it costs several times what running it
# does. It is a function of the person's id, whether they are active or a superuser, and the
# permissions their roles and grants give; teams, assignments and grants on cases are
# subqueries in it, read afresh each time. A query holding a date or time (a grant that runs
# out) is never kept: it is compiled for each page.
_turns: dict[tuple, tuple[str, tuple]] = {}
_TURNS_MAX = 1000


def _turns_sql(user: User) -> tuple[str, tuple]:
    """The SQL (and its parameters) of the requests that wait for ``user``, as ids; ``""`` when
    none can."""
    shape = (user.pk, user.is_active, user.is_superuser, frozenset(user.get_all_permissions()))
    found = _turns.get(shape)
    if found is None:
        mine = (to_approve(user) | to_pay(user)).order_by().values("pk")
        found = ("", ())
        if not mine.query.is_empty():
            sql, params = mine.query.sql_with_params()
            found = (sql, tuple(params))
        if any(isinstance(param, date) for param in found[1]):
            return found
        if len(_turns) >= _TURNS_MAX:
            _turns.clear()
        _turns[shape] = found
    return found


def request_actions(user: User, request: AssistanceRequest, case_perms: frozenset[str] | None = None) -> frozenset[str]:
    """What ``user`` may do to ``request`` now: approve, deny, cancel, edit, pay, add a receipt."""
    if not active(user):
        return frozenset()
    perms = case_perms if case_perms is not None else permissions.case_perms(user, request.case)
    own = request.requested_by_id == user.pk
    acts = set()
    if not own and (
        (request.status == Status.WAITING and permissions.DECIDE in perms and user.has_perm(APPROVE))
        or (
            request.status == Status.SECOND_APPROVAL
            and user.has_perm(APPROVE_LARGE)
            and request.approved_by_id != user.pk
        )
    ):
        acts |= {ACT_APPROVE, ACT_DENY}
    if request.status == Status.APPROVED and user.has_perm(PAY) and not own:
        acts.add(ACT_PAY)
    if request.is_open and (permissions.CHANGE in perms or (request.status == Status.APPROVED and user.has_perm(PAY))):
        acts.add(ACT_CANCEL)
    if request.status == Status.WAITING and permissions.CHANGE in perms:
        acts.add(ACT_EDIT)
    if request.status == Status.PAID and user.has_perm(PAY) and not request.payment.receipt_id:
        acts.add(ACT_RECEIPT)
    return frozenset(acts)


def may_ask(user: User, case_perms: frozenset[str]) -> bool:
    """Whether ``user`` may ask for money for a case on which they hold ``case_perms``."""
    return permissions.CHANGE in case_perms and holds(user, ASK)


def may_give(user: User, case_perms: frozenset[str]) -> bool:
    return permissions.CHANGE in case_perms and holds(user, GIVE)


def may_house(user: User, case_perms: frozenset[str]) -> bool:
    return permissions.CHANGE in case_perms and holds(user, HOUSE)


def may_see_receipt(user: User, request: AssistanceRequest) -> bool:
    """The receipt of a request is for those who pay and those who see its case."""
    return holds(user, SEE_ALL) or permissions.can(user, permissions.VIEW, request.case)


def first_approvers(case: Case) -> list[int]:
    """Who is told a request on ``case`` waits for its first approval: the team's supervisors
    who may approve (on a restricted case, only those it names)."""
    supervisors = holders(APPROVE).filter(pk__in=case.team.supervisors.values("pk"))
    return permissions.named_among(case, supervisors.order_by("pk").values_list("pk", flat=True))


def second_approvers() -> list[int]:
    """Who is told a request waits for its second approval: everyone whose role gives it."""
    return list(holders(APPROVE_LARGE).order_by("pk").values_list("pk", flat=True))


def payers() -> list[int]:
    """Who is told an approved request waits for payment: everyone whose role records payments."""
    return list(holders(PAY).order_by("pk").values_list("pk", flat=True))
