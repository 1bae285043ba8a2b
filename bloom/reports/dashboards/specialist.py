"""The specialist's home: a task list of what is due on their own cases, and their caseload in brief.

Every row starts from ``cases.permissions.visible_cases`` narrowed to the cases the reader is
assigned to (a case reached through emergency access is someone else's to plan), asked once
for the whole page (``_caseload``); each group then reads from those ids in one query, so the
page costs the same number of queries for two cases or two hundred.
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from assistance.models import AssistanceRequest
from bloom.accounts.models import User
from bloom.times import add_months
from cases import permissions as case_permissions
from cases import queries as case_queries
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


def my_tasks(user: User) -> dict:
    """What ``user`` has to do on their own cases, each group in the order it is due, with the counts.

    ``contacts_due`` (due today or earlier) and ``contacts_soon`` (within ``WEEK_DAYS``) from the
    one due date of ``with_last_contact``; ``steps`` (action steps not done on open goals, due
    within the week or overdue); ``safety_reviews`` (None for a role that may not read safety
    plans); ``releases`` expiring; ``requests`` for money the user made, still waiting on others;
    ``closures`` the user asked for, waiting for a supervisor; ``without_plan`` (enrolled
    ``NO_PLAN_AFTER_MONTHS`` or longer, no plan and no goal). ``nothing_due`` when every group is empty.
    """
    today = timezone.localdate()
    week_end = today + timedelta(days=WEEK_DAYS)
    caseload = _caseload(user, today)
    counts = _counts(caseload, today, week_end)
    # Every later query starts from the ids the choke point gave above: planning its subqueries
    # once a page, not once a group, was most of what this page cost.
    mine = [row.pk for row in caseload]
    open_mine = [row.pk for row in caseload if row.status in Case.ACTIVE_STATUSES]
    contacts, without_plan = _listed(caseload, today, week_end)
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
    pk: int
    status: str
    contact_due_on: date | None
    enrolled_on: date | None
    without_plan: bool | None


def _caseload(user: User, today: date) -> list[_Row]:
    """A row for each case ``user`` may see and is assigned to: a caseload, tens or a few hundred.

    The assignments are read first, so that the choke point's filter is checked on those cases
    alone rather than on every case of the program.
    """
    assigned = list(CaseAssignment.objects.filter(specialist=user).values_list("case_id", flat=True))
    mine = case_permissions.visible_cases(user).filter(pk__in=assigned)
    no_plan = ExpressionWrapper(_without_plan(today), output_field=BooleanField())
    rows = _enrolled(mine).annotate(no_plan=no_plan).order_by("pk")
    # A case reached both through its grant and through emergency access is one case.
    unique = dict.fromkeys(rows.values_list("pk", "status", "contact_due_on", "enrolled_on", "no_plan"))
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


def _listed(caseload: list[_Row], today: date, week_end: date) -> tuple[list[Case], list[Case]]:
    """The open cases listed for a contact due by ``week_end`` (the soonest due first) and those
    without a plan (the longest enrolled first), ``CASELOAD_ROWS`` of each, read in one query.
    """
    active = [row for row in caseload if row.status in Case.ACTIVE_STATUSES]
    due = sorted(
        (row.contact_due_on, row.pk) for row in active if row.contact_due_on and row.contact_due_on <= week_end
    )
    planless = sorted((row.enrolled_on, row.pk) for row in active if row.without_plan)
    contact_ids = [pk for _day, pk in due[:CASELOAD_ROWS]]
    planless_ids = [pk for _day, pk in planless[:CASELOAD_ROWS]]
    cases = Case.objects.filter(pk__in={*contact_ids, *planless_ids}).select_related("survivor")
    found = {case.pk: case for case in _enrolled(case_queries.with_last_contact(cases, as_of=today))}
    return [found[pk] for pk in contact_ids], [found[pk] for pk in planless_ids]


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


def _steps_due(cases: list[int], week_end: date) -> QuerySet[ActionStep]:
    """Steps not done, on goals still being worked on, due by ``week_end`` (the overdue too)."""
    return (
        ActionStep.objects.filter(
            goal__case__in=cases,
            goal__status__in=Goal.OPEN,
            done_on__isnull=True,
            due_on__lte=week_end,
        )
        .select_related("goal__case__survivor")
        .order_by("due_on", "pk")
    )


# What a safety plan says: the task list reads its review date, never these.
_PLAN_CONTENTS = ("code_word", "emergency_numbers", "documents_kept", "staff_note")


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
        .filter(case__in=cases)
        .select_related("case__survivor")
        .defer(*_PLAN_CONTENTS)
        .order_by("review_on", "pk")
    )
    return list(plans)


def _releases(cases: list[int], today: date):
    """Releases on ``cases`` about to expire, by the reminder's own rule, the soonest first."""
    return (
        releases_expiring(today=today)
        .filter(case__in=cases)
        .select_related("case__survivor", "organization")
        .order_by("expires_on", "pk")
    )


def _requests_waiting(user: User, cases: list[int]) -> QuerySet[AssistanceRequest]:
    """Money ``user`` asked for on their cases, waiting for an approval or for payment.

    ``cases`` come from the choke point, so these are among ``visible_requests``: the requests
    of the cases the user may see, their client codes shown.
    """
    return (
        AssistanceRequest.objects.filter(case__in=cases, requested_by=user, status__in=AssistanceRequest.OPEN)
        .select_related("case__survivor")
        .order_by("needed_by", "pk")
    )


def _closures_waiting(user: User, cases: list[int]) -> QuerySet[Closure]:
    """Closures ``user`` asked for on their cases, waiting for a supervisor's decision."""
    return (
        Closure.objects.filter(case__in=cases, requested_by=user, status=Closure.Status.REQUESTED)
        .select_related("case__survivor")
        .order_by("requested_at", "pk")
    )
