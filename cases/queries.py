"""Reads. Each function takes a queryset already scoped by ``cases.permissions`` (or, for
system tasks, chosen deliberately) and returns a narrower or richer one."""

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from cases.models import Case


def with_last_contact(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``last_contact_on``: the last day someone from the program was in touch.

    Contacts are not recorded yet, so this is the day the case was opened, or reopened;
    once contacts are recorded, the latest contact date takes its place.
    """
    return cases.annotate(last_contact_on=Coalesce("reopened_on", "opened_on"))


def open_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.exclude(status=Case.Status.CLOSED)


def cases_without_recent_contact(cases: QuerySet[Case], *, as_of: date, days: int) -> QuerySet[Case]:
    """Open cases whose last contact is ``days`` or more before ``as_of``."""
    return (
        with_last_contact(open_cases(cases))
        .filter(last_contact_on__lte=as_of - timedelta(days=days))
        .select_related("survivor")
    )


def for_list(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the case list shows, in a fixed number of queries however many rows."""
    return with_last_contact(cases).select_related("survivor", "team").prefetch_related("specialists")


def search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases whose survivor's legal or preferred name contains ``text``, or whose client code starts with it."""
    text = text.strip()
    if not text:
        return cases
    code = text.upper() if text.upper().startswith("BL-") else f"BL-{text.upper()}"
    return cases.filter(
        Q(survivor__legal_name__icontains=text)
        | Q(survivor__preferred_name__icontains=text)
        | Q(survivor__client_code__startswith=code)
    )


# The status filter's value for "open or reopened".
ACTIVE = "active"


def filtered(cases: QuerySet[Case], *, q: str, status: str, team, mine: bool, user) -> QuerySet[Case]:
    """The case list's search and filters, applied to an already scoped queryset."""
    cases = search(cases, q)
    if status == ACTIVE:
        cases = open_cases(cases)
    elif status:
        cases = cases.filter(status=status)
    if team:
        cases = cases.filter(team=team)
    if mine:
        cases = cases.filter(specialists=user)
    return cases


def totals(cases: QuerySet[Case], *, month_start: date) -> dict[str, int]:
    """Counts for a dashboard, in one query."""
    return cases.aggregate(
        open=Count("pk", filter=~Q(status=Case.Status.CLOSED)),
        closed=Count("pk", filter=Q(status=Case.Status.CLOSED)),
        opened_this_month=Count("pk", filter=Q(opened_on__gte=month_start)),
        total=Count("pk"),
    )
