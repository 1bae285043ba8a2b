"""The supervisor's dashboard: each of their teams and each specialist on it."""

from django.db.models import Count, Q
from django.utils import timezone

from bloom.accounts.models import Team, User
from cases import permissions as case_permissions
from cases import queries as case_queries
from cases.models import Case

# Enrolled and being served: not in intake, closed or not enrolled.
ACTIVE = Q(status__in=Case.ACTIVE_STATUSES)


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
