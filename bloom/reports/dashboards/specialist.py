"""The specialist's home: a task list of what is due on their own cases, and their caseload in brief.

Every row starts from ``cases.permissions.visible_cases`` narrowed to the cases the reader is
assigned to (a case reached through emergency access is someone else's to plan), and each
group is one query whatever the caseload: eight queries for two cases or two hundred.
"""

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from assistance import access as assistance_access
from assistance.models import AssistanceRequest
from bloom.accounts.models import User
from bloom.times import add_months
from cases import permissions as case_permissions
from cases import queries as case_queries
from cases.models import Case, Closure, SafetyPlan
from cases.services.safety import plans_due_for_review
from cases.services.sharing import releases_expiring
from phases.models import ActionStep, CasePlan, Goal

# At most this many cases are listed in a group of cases; its count and the case list give the rest.
CASELOAD_ROWS = 25
# "This week" is the next seven days, not the calendar week, so that Friday's list still shows Monday's calls.
WEEK_DAYS = 7
# A case enrolled this long with neither a plan started nor a goal written is listed.
NO_PLAN_AFTER_MONTHS = 3

ACTIVE = Q(status__in=Case.ACTIVE_STATUSES)


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
    mine = case_permissions.visible_cases(user).filter(specialists=user)
    open_mine = case_queries.open_cases(mine)
    without_plan = _without_plan(today)
    counts = _enrolled(case_queries.with_last_contact(mine, as_of=today)).aggregate(
        open=Count("pk", distinct=True, filter=ACTIVE),
        intakes=Count("pk", distinct=True, filter=Q(status=Case.Status.INTAKE)),
        contacts_due=Count("pk", distinct=True, filter=ACTIVE & Q(contact_due_on__lte=today)),
        contacts_soon=Count(
            "pk", distinct=True, filter=ACTIVE & Q(contact_due_on__gt=today, contact_due_on__lte=week_end)
        ),
        without_plan=Count("pk", distinct=True, filter=ACTIVE & without_plan),
    )
    contacts = list(
        case_queries.with_last_contact(open_mine, as_of=today)
        .filter(contact_due_on__lte=week_end)
        .select_related("survivor")
        .order_by("contact_due_on", "pk")[:CASELOAD_ROWS]
    )
    tasks = {
        "contacts_due": [case for case in contacts if case.contact_due_on <= today],
        "contacts_soon": [case for case in contacts if case.contact_due_on > today],
        "steps": list(_steps_due(open_mine, week_end)),
        "safety_reviews": _safety_reviews(user, open_mine, today),
        "releases": list(_releases(open_mine, today)),
        "requests": list(_requests_waiting(user, mine)),
        "closures": list(_closures_waiting(user, mine)),
        "without_plan": list(
            _enrolled(open_mine)
            .filter(without_plan)
            .select_related("survivor")
            .order_by("enrolled_on", "pk")[:CASELOAD_ROWS]
        ),
    }
    more = {
        "contacts_more": counts["contacts_due"] + counts["contacts_soon"] - len(contacts),
        "without_plan_more": counts["without_plan"] - len(tasks["without_plan"]),
    }
    groups = (counts["contacts_due"], counts["contacts_soon"], counts["without_plan"], *tasks.values())
    return {**tasks, **more, "counts": counts, "today": today, "nothing_due": not any(groups)}


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


def _steps_due(cases: QuerySet[Case], week_end: date) -> QuerySet[ActionStep]:
    """Steps not done, on goals still being worked on, due by ``week_end`` (the overdue too)."""
    return (
        ActionStep.objects.filter(
            goal__case__in=cases.values("pk"),
            goal__status__in=Goal.OPEN,
            done_on__isnull=True,
            due_on__lte=week_end,
        )
        .select_related("goal__case__survivor")
        .order_by("due_on", "pk")
    )


# What a safety plan says: the task list reads its review date, never these.
_PLAN_CONTENTS = ("code_word", "emergency_numbers", "documents_kept", "staff_note")


def _safety_reviews(user: User, cases: QuerySet[Case], today: date) -> list[SafetyPlan] | None:
    """The current plans due for review by the reminder's own rule (the week before and after),
    as the team dashboard counts them.

    None for a role that may not read safety plans: the group is not shown at all. Only the
    review date is read, never the plan's contents.
    """
    if not case_permissions.may_see_sensitive(user):
        return None
    plans = (
        plans_due_for_review(today=today)
        .filter(case__in=cases.values("pk"))
        .select_related("case__survivor")
        .defer(*_PLAN_CONTENTS)
        .order_by("review_on", "pk")
    )
    return list(plans)


def _releases(cases: QuerySet[Case], today: date):
    """Releases on ``cases`` about to expire, by the reminder's own rule, the soonest first."""
    return (
        releases_expiring(today=today)
        .filter(case__in=cases.values("pk"))
        .select_related("case__survivor", "organization")
        .order_by("expires_on", "pk")
    )


def _requests_waiting(user: User, cases: QuerySet[Case]) -> QuerySet[AssistanceRequest]:
    """Money ``user`` asked for on their cases, waiting for an approval or for payment."""
    return (
        assistance_access.visible_requests(user)
        .filter(case__in=cases.values("pk"), requested_by=user, status__in=AssistanceRequest.OPEN)
        .select_related("case__survivor")
        .order_by("needed_by", "pk")
    )


def _closures_waiting(user: User, cases: QuerySet[Case]) -> QuerySet[Closure]:
    """Closures ``user`` asked for on their cases, waiting for a supervisor's decision."""
    return (
        Closure.objects.filter(case__in=cases.values("pk"), requested_by=user, status=Closure.Status.REQUESTED)
        .select_related("case__survivor")
        .order_by("requested_at", "pk")
    )
