"""The role-aware home page: what each person needs first thing in the morning.

Every figure starts from ``cases.permissions.visible_cases``: a dashboard shows nothing
its reader could not open.
"""

from django.db.models import Count, Q
from django.utils import timezone

from bloom.accounts.models import Role, Team, User
from cases import permissions as case_permissions
from cases import queries as case_queries
from cases.models import Case
from outreach import queries as outreach_queries
from training import queries as training_queries

CASELOAD_ROWS = 25
# Enrolled and being served: not in intake, closed or not enrolled.
ACTIVE = Q(status__in=Case.ACTIVE_STATUSES)


def my_caseload(user: User) -> dict:
    """The user's open cases, the longest overdue for a contact first (the first 25), with counts.

    Each case's own contact cadence decides when a contact is due (``with_last_contact``).
    """
    today = timezone.localdate()
    cases = case_queries.for_list(
        case_queries.open_cases(case_permissions.visible_cases(user).filter(specialists=user))
    )
    counts = cases.aggregate(
        total=Count("pk", distinct=True),
        overdue=Count("pk", distinct=True, filter=Q(contact_due_on__lte=today)),
    )
    rows = list(cases.order_by("contact_due_on", "pk")[:CASELOAD_ROWS])
    intakes = case_permissions.visible_cases(user).filter(specialists=user, status=Case.Status.INTAKE).count()
    return {"cases": rows, "intakes": intakes, **counts}


def my_teams(user: User) -> list[dict]:
    today = timezone.localdate()
    teams = list(Team.objects.filter(supervisors=user).prefetch_related("members"))
    visible = case_queries.with_last_contact(case_permissions.visible_cases(user)).filter(team__in=teams)
    counts = {
        row["team"]: row
        for row in visible.values("team").annotate(
            # distinct: the join to assignments repeats a case once per specialist.
            open=Count("pk", distinct=True, filter=ACTIVE),
            # Each case's own contact cadence (see cases.queries.with_last_contact).
            overdue=Count("pk", distinct=True, filter=ACTIVE & Q(contact_due_on__lte=today)),
            unassigned=Count("pk", distinct=True, filter=ACTIVE & Q(assignments__isnull=True)),
        )
    }
    loads = {
        (row["team"], row["specialists"]): row["n"]
        for row in case_queries.open_cases(visible)
        .filter(specialists__isnull=False)
        .values("team", "specialists")
        .annotate(n=Count("pk"))
    }
    result = []
    for team in teams:
        row = counts.get(team.pk, {})
        result.append(
            {
                "team": team,
                "open": row.get("open", 0),
                "overdue": row.get("overdue", 0),
                "unassigned": row.get("unassigned", 0),
                "members": [(m, loads.get((team.pk, m.pk), 0)) for m in team.members.all()],
            }
        )
    return result


def program_totals(user: User) -> dict:
    today = timezone.localdate()
    cases = case_permissions.visible_cases(user)
    by_team = list(
        cases.values("team__name").annotate(open=Count("pk", filter=ACTIVE), total=Count("pk")).order_by("team__name")
    )
    return {"totals": case_queries.totals(cases, month_start=today.replace(day=1)), "by_team": by_team}


def home_sections(user: User) -> dict:
    sections = {}
    if user.has_role(Role.SPECIALIST):
        sections["caseload"] = my_caseload(user)
    if user.has_role(Role.SUPERVISOR):
        sections["teams"] = my_teams(user)
    if user.has_role(Role.PROGRAM_DIRECTOR):
        sections["program"] = program_totals(user)
    if sections and case_permissions.may_approve_closures(user):
        sections["closures_waiting"] = case_permissions.closures_to_approve(user).count()
    if sections and case_permissions.can_open_cases(user):
        sections["requests_waiting"] = case_permissions.intake_requests_for(user).count()
    if any(user.has_role(role) for role in (Role.OUTREACH_WORKER, Role.VOLUNTEER)):
        sections["outreach"] = outreach_queries.coming_up(user)
    if user.has_role(Role.TRAINER):
        sections["training"] = training_queries.coming_up(user)
    return sections
