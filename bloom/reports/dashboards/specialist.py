"""The specialist's home: a task list of what is due on their own cases, and their caseload in brief.

Every row starts from ``cases.permissions.visible_cases`` narrowed to the cases the reader is
assigned to (a case reached through emergency access is someone else's to plan), asked once
for the whole page (``_caseload``); each group then reads from those ids in one query, so the
page costs the same number of queries for two cases or two hundred.
"""

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Lookup, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from assistance.models import AssistanceRequest
from bloom.accounts.models import User
from bloom.times import add_months
from cases import permissions as case_permissions
from cases.models import Case, CaseAssignment, Closure, SafetyPlan
from cases.services.safety import plans_due_for_review
from cases.services.sharing import releases_expiring
from phases.models import ActionStep, CasePlan, Goal

# At most this many cases are listed in a group of cases; its count and the case list give the rest.
CASELOAD_ROWS = 25
# "This week" is the next seven days, not the calendar week, so that Friday's list still shows Monday's calls.
WEEK_DAYS = 7
# A case enrolled this long with neither a plan started nor a goal written is listed.
NO_PLAN_AFTER_MONTHS = 3
# What the rows show of a survivor (``display_name`` is one of the two names): each group reads
# what its rows show and no more, as whole cases and survivors cost more to build than to write out.
_SURVIVOR = ("survivor__client_code", "survivor__preferred_name", "survivor__legal_name")
_CASE_SURVIVOR = tuple(f"case__{field}" for field in _SURVIVOR)
# What a case's row in the list of contacts due shows of the case itself, read with the caseload
# (a survivor's code and name, a join, are read for the cases listed alone).
_LISTED = ("next_contact_agreed", "last_contact_at")


def my_tasks(user: User) -> dict:
    """What ``user`` has to do on their own cases, each group in the order it is due, with the counts.

    ``contacts_due`` (due today or earlier) and ``contacts_soon`` (within ``WEEK_DAYS``) from the
    one due date of ``with_last_contact``, rows of the caseload as ``without_plan``'s are;
    ``steps`` (action steps not done on open goals, due within the week or overdue);
    ``safety_reviews`` (None for a role that may not read safety plans); ``releases`` expiring;
    ``requests`` for money the user made, still waiting on others; ``closures`` the user asked
    for, waiting for a supervisor; ``without_plan`` (enrolled ``NO_PLAN_AFTER_MONTHS`` or longer,
    no plan and no goal). ``nothing_due`` when every group is empty.
    """
    today = timezone.localdate()
    week_end = today + timedelta(days=WEEK_DAYS)
    caseload = _caseload(user, today)
    counts = _counts(caseload, today, week_end)
    # Every later query starts from the ids the choke point gave above: planning its subqueries
    # once a page, not once a group, was most of what this page cost.
    mine = [row.pk for row in caseload]
    open_mine = [row.pk for row in caseload if row.status in Case.ACTIVE_STATUSES]
    contacts, without_plan = _listed(caseload, week_end)
    tasks = {
        "contacts_due": [case for case in contacts if case.contact_due_on <= today],
        "contacts_soon": [case for case in contacts if case.contact_due_on > today],
        "steps": list(_steps_due(open_mine, week_end)),
        "safety_reviews": _safety_reviews(user, open_mine, today),
        "releases": list(_releases(open_mine, today)),
        "requests": list(_requests_waiting(user, mine)),
        "closures": list(_closures_waiting(user, mine)),
        "without_plan": without_plan,
    }
    more = {
        "contacts_more": counts["contacts_due"] + counts["contacts_soon"] - len(contacts),
        "without_plan_more": counts["without_plan"] - len(tasks["without_plan"]),
    }
    groups = (counts["contacts_due"], counts["contacts_soon"], counts["without_plan"], *tasks.values())
    return {**tasks, **more, "counts": counts, "today": today, "nothing_due": not any(groups)}


class _Row(NamedTuple):
    """A case of the caseload, with what its row in a list shows."""

    pk: int
    status: str
    contact_due_on: date | None
    enrolled_on: date | None
    without_plan: bool | None
    next_contact_agreed: bool
    last_contact_at: datetime | None


class _Listed(NamedTuple):
    """A case's row in the list of contacts due or of cases without a plan."""

    pk: int
    contact_due_on: date | None
    next_contact_agreed: bool
    last_contact_at: datetime | None
    enrolled_on: date | None
    client_code: str
    display_name: str


def _caseload(user: User, today: date) -> list[_Row]:
    """A row for each case ``user`` may see and is assigned to: a caseload, tens or a few hundred.

    The assignments are read first, so that the choke point's filter is checked on those cases
    alone rather than on every case of the program.
    """
    assigned = list(CaseAssignment.objects.filter(specialist=user).values_list("case_id", flat=True))
    mine = case_permissions.visible_cases(user).filter(_among("pk", assigned))
    no_plan = ExpressionWrapper(_without_plan(today), output_field=BooleanField())
    rows = _enrolled(mine).annotate(no_plan=no_plan).order_by("pk")
    # A case reached both through its grant and through emergency access is one case.
    unique = dict.fromkeys(rows.values_list("pk", "status", "contact_due_on", "enrolled_on", "no_plan", *_LISTED))
    return [_Row(*row) for row in unique]


def _counts(caseload: list[_Row], today: date, week_end: date) -> dict[str, int]:
    """The caseload's figures: open cases, intakes, contacts due now and this week, cases without a plan."""
    counts = dict.fromkeys(("open", "intakes", "contacts_due", "contacts_soon", "without_plan"), 0)
    for row in caseload:
        if row.status == Case.Status.INTAKE:
            counts["intakes"] += 1
        if row.status not in Case.ACTIVE_STATUSES:
            continue
        counts["open"] += 1
        counts["without_plan"] += bool(row.without_plan)
        if row.contact_due_on is not None and row.contact_due_on <= today:
            counts["contacts_due"] += 1
        elif row.contact_due_on is not None and row.contact_due_on <= week_end:
            counts["contacts_soon"] += 1
    return counts


def _listed(caseload: list[_Row], week_end: date) -> tuple[list[_Listed], list[_Listed]]:
    """The open cases listed for a contact due by ``week_end`` (the soonest due first) and those
    without a plan (the longest enrolled first), ``CASELOAD_ROWS`` of each, their survivors' client
    codes and names read in one query.
    """
    active = [row for row in caseload if row.status in Case.ACTIVE_STATUSES]
    due = sorted(
        (row for row in active if row.contact_due_on and row.contact_due_on <= week_end),
        key=lambda row: (row.contact_due_on, row.pk),
    )[:CASELOAD_ROWS]
    planless = sorted((row for row in active if row.without_plan), key=lambda row: (row.enrolled_on, row.pk))
    planless = planless[:CASELOAD_ROWS]
    survivors = Case.objects.filter(_among("pk", {row.pk for row in (*due, *planless)})).values_list("pk", *_SURVIVOR)
    # The name as the survivor's own ``display_name`` gives it.
    names = {pk: (code, preferred or legal) for pk, code, preferred, legal in survivors}

    def listed(row: _Row) -> _Listed:
        fields = (row.contact_due_on, row.next_contact_agreed, row.last_contact_at, row.enrolled_on)
        return _Listed(row.pk, *fields, *names[row.pk])

    return [listed(row) for row in due], [listed(row) for row in planless]


def _enrolled(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with ``enrolled_on``: the day they were enrolled or reopened (the quiet spell's first day)."""
    return cases.annotate(enrolled_on=Coalesce("reopened_on", "decided_on", "opened_on"))


def _without_plan(today: date) -> Q:
    """On ``_enrolled`` cases: enrolled ``NO_PLAN_AFTER_MONTHS`` ago or more, with no case plan.

    A case plan exists once the plan is started or a goal is written, as the plan's printout
    counts it (``case_plan_missing``).
    """
    plan = CasePlan.objects.filter(case=OuterRef("pk"))
    goal = Goal.objects.filter(case=OuterRef("pk"))
    return Q(enrolled_on__lte=add_months(today, -NO_PLAN_AFTER_MONTHS)) & ~Exists(plan) & ~Exists(goal)


class _AnyOf(Lookup):
    """``column = ANY(ids)``: the ids go to the database as one array, where ``__in`` makes one
    parameter of each. Every query of the page narrows to the caseload's ids, a few hundred for a
    busy specialist, and preparing and planning them one by one was a millisecond a query.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        # As ``__in`` does: no ids, no rows, and the query is not sent at all.
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor != "postgresql":
            # SQLite (the demo) has no arrays: a parameter an id, as ``__in`` sends them.
            ids = list(self.rhs)
            return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def _among(field: str, ids: list[int]) -> _AnyOf:
    """A filter: ``field`` (a key or a relation's) is one of ``ids``."""
    return _AnyOf(F(field), ids)


def _steps_due(cases: list[int], week_end: date) -> QuerySet[ActionStep]:
    """Steps not done, on goals still being worked on, due by ``week_end`` (the overdue too)."""
    return (
        ActionStep.objects.filter(
            _among("goal__case", cases),
            goal__status__in=Goal.OPEN,
            done_on__isnull=True,
            due_on__lte=week_end,
        )
        .select_related("goal__case__survivor")
        .only("description", "owner", "partner", "due_on", *(f"goal__{field}" for field in _CASE_SURVIVOR))
        .order_by("due_on", "pk")
    )


def _safety_reviews(user: User, cases: list[int], today: date) -> list[SafetyPlan] | None:
    """The current plans due for review by the reminder's own rule (the week before and after),
    as the team dashboard counts them.

    None for a role that may not read safety plans: the group is not shown at all. Only the
    review date is read, never the plan's contents.
    """
    if not case_permissions.may_see_sensitive(user):
        return None
    plans = (
        plans_due_for_review(today=today)
        .filter(_among("case", cases))
        .select_related("case__survivor")
        .only("version", "review_on", *_CASE_SURVIVOR)
        .order_by("review_on", "pk")
    )
    return list(plans)


def _releases(cases: list[int], today: date):
    """Releases on ``cases`` about to expire, by the reminder's own rule, the soonest first."""
    return (
        releases_expiring(today=today)
        .filter(_among("case", cases))
        .select_related("case__survivor", "organization")
        .only("recipient", "expires_on", "organization__name", *_CASE_SURVIVOR)
        .order_by("expires_on", "pk")
    )


def _requests_waiting(user: User, cases: list[int]) -> QuerySet[AssistanceRequest]:
    """Money ``user`` asked for on their cases, waiting for an approval or for payment, each with
    the ``client_code`` its row shows.

    ``cases`` come from the choke point, so these are among ``visible_requests``: the requests
    of the cases the user may see, their client codes shown.
    """
    # The longest group by far, and its row shows nothing else of the case: a column read with
    # the request, rather than a case and a survivor built for each of them.
    return (
        AssistanceRequest.objects.filter(_among("case", cases), requested_by=user, status__in=AssistanceRequest.OPEN)
        .only("case_id", "amount", "status", "needed_by")
        .annotate(client_code=F("case__survivor__client_code"))
        .order_by("needed_by", "pk")
    )


def _closures_waiting(user: User, cases: list[int]) -> QuerySet[Closure]:
    """Closures ``user`` asked for on their cases, waiting for a supervisor's decision."""
    return (
        Closure.objects.filter(_among("case", cases), requested_by=user, status=Closure.Status.REQUESTED)
        .select_related("case__survivor")
        .only("reason", "requested_at", *_CASE_SURVIVOR)
        .order_by("requested_at", "pk")
    )
