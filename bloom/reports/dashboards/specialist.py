"""The specialist's home: their caseload and what is due."""

from django.db.models import Count, Q
from django.utils import timezone

from bloom.accounts.models import User
from cases import permissions as case_permissions
from cases import queries as case_queries
from cases.models import Case

CASELOAD_ROWS = 25


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
