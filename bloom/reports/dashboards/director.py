"""The program director's dashboard."""

from django.db.models import Count, Q
from django.utils import timezone

from bloom.accounts.models import User
from cases import permissions as case_permissions
from cases import queries as case_queries
from cases.models import Case

# Enrolled and being served: not in intake, closed or not enrolled.
ACTIVE = Q(status__in=Case.ACTIVE_STATUSES)


def program_totals(user: User) -> dict:
    today = timezone.localdate()
    cases = case_permissions.visible_cases(user)
    by_team = list(
        cases.values("team__name").annotate(open=Count("pk", filter=ACTIVE), total=Count("pk")).order_by("team__name")
    )
    return {"totals": case_queries.totals(cases, month_start=today.replace(day=1)), "by_team": by_team}
